"""Form fields that validate as they are typed, showing the service's own message beside the field."""

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label

from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.numbers import parse_whole_number
from cbr_tui.domain.rules import check_capacity
from cbr_tui.domain.vault_types import GB_PER_TB, VaultType
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.errors import show_error


class Field(Guarded, Vertical):
    """A labelled input; `check` turns the text into a value or raises the rule's CbrError."""

    DEFAULT_CSS = """
    Field { height: auto; margin-bottom: 1; }
    Field Label.field-label { color: $text-muted; }
    """

    class Edited(Message):
        """The text changed (and was checked)."""

        def __init__(self, field: "Field") -> None:
            super().__init__()
            self.field = field

    def __init__(self, label: str, check: Callable[[str], Any], *, value: str = "", placeholder: str = "",
                 id: str | None = None, password: bool = False) -> None:
        super().__init__(id=id)
        self.password = password
        self.label = label
        self.check = check
        self.initial = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield Input(value=self.initial, placeholder=self.placeholder, password=self.password)
        yield Label("", classes="field-error")

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    @text.setter
    def text(self, value: str) -> None:
        self.query_one(Input).value = value

    def validate(self) -> Any:
        """The checked value, or None with the message shown beside the field."""
        try:
            value = self.check(self.text)
        except CbrError as refusal:
            self.show(f"{refusal.code}: {refusal.message}")
            return None
        self.show("")
        return value

    def show(self, message: str) -> None:
        """Show a message beside the field ('' hides it): its own rule's, or one the service gave."""
        show_error(self.query_one(".field-error", Label), message)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.validate()
        self.post_message(self.Edited(self))


def whole_number(text: str, what: str = "the number") -> int:
    """A count typed by a person (`1,024` allowed): the domain's one strict reading of numbers."""
    return parse_whole_number(text, what)


def capacity_check(vtype: VaultType) -> Callable[[str], int]:
    """Capacity as the console asks for it (GB, or TB for hybrid and file vaults), checked as the service does."""
    def check(text: str) -> int:
        amount = whole_number(text, f"the capacity in {vtype.capacity_unit}")
        return check_capacity(vtype, amount * GB_PER_TB if vtype.capacity_unit == "TB" else amount)
    return check


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """`key=value, other=..., bare` as pairs (a bare key has an empty value)."""
    pairs = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            key, _, value = part.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs
