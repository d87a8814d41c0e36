"""A selection list whose boxes say whether they are ticked (✓, ◐ for partly, or empty), not only by their
colour."""

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

T = TypeVar("T")


class CheckList(SelectionList[T]):
    """`partly` holds values shown as partly chosen (a server with some of its disks)."""

    partly: frozenset[object] | set[object] = frozenset()

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        if len(segments) < 2:
            return line
        mark = " "
        if selection.value in self._selected:
            mark = "◐" if selection.value in self.partly else "✓"
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, line.cell_length)
