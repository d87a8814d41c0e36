"""A data table for console lists: keyboard first (hjkl as well as arrows), rows keyed by resource ID."""

from collections.abc import Sequence

from textual.binding import Binding
from textual.widgets import DataTable

SIDEWAYS_STEP = 16  # columns scrolled by a press of ← or → (or h, l) on a table wider than the screen


class ConsoleTable(DataTable[object]):
    """Rows are keyed by the ID of what they show, so actions and refreshes find the same row again."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("h", "scroll_left", "Left", show=False, id="table.left"),
        Binding("l", "scroll_right", "Right", show=False, id="table.right"),
    ]

    def __init__(self, columns: Sequence[tuple[str, int]] = (), *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._shown: tuple[list[tuple[str, tuple[object, ...]]], int] | None = None
        for label, width in columns:
            self.add_column(label, width=width)

    def action_cursor_right(self) -> None:
        """Rows are chosen, not cells: the arrows show the columns beyond the edge, a few at a time."""
        self.scroll_relative(x=SIDEWAYS_STEP, animate=False)

    def action_cursor_left(self) -> None:
        self.scroll_relative(x=-SIDEWAYS_STEP, animate=False)

    action_scroll_right = action_cursor_right
    action_scroll_left = action_cursor_left

    @property
    def selected_key(self) -> str | None:
        """The ID of the highlighted row (None for an empty table)."""
        if self.row_count == 0:
            return None
        row_key, _column = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def replace_rows(self, rows: list[tuple[str, tuple[object, ...]]], height: int = 1) -> None:
        """Show these rows (key, cells), keeping the cursor on the same key when it is still there.

        Rows equal to those shown are left alone: pages reload every second while they are shown, and
        rebuilding an unchanged table would redraw it for nothing."""
        if self._shown == (rows, height):
            return
        self._shown = (rows, height)
        keep = self.selected_key
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key, height=height)
        if keep is not None:
            for index, (key, _cells) in enumerate(rows):
                if key == keep:
                    self.move_cursor(row=index, animate=False)
                    break
