"""Switches, radio buttons and checkboxes that say what they are set to: a colour alone does not tell a person
(or a screen reader)."""

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Label, RadioButton, RadioSet, Switch


class WordedSwitch(Vertical):
    """A caption, then the switch with the word for its state beside it ('Enabled' / 'Disabled').

    The ID given is the inner Switch's, so forms read it as they read any switch."""

    DEFAULT_CSS = """
    WordedSwitch { height: auto; }
    WordedSwitch Horizontal { height: auto; }
    WordedSwitch .switch-word { margin: 1 1 0 1; }
    """

    def __init__(self, caption: str, value: bool, *, id: str, on_word: str = "Enabled",
                 off_word: str = "Disabled") -> None:
        super().__init__(id=f"{id}-row")
        self.caption = caption
        self.initial = value
        self.switch_id = id
        self.words = (off_word, on_word)

    def compose(self) -> ComposeResult:
        if self.caption:
            yield Label(self.caption, classes="field-label")
        with Horizontal():
            yield Switch(value=self.initial, id=self.switch_id)
            yield Label(self.words[self.initial], classes="switch-word")

    @on(Switch.Changed)
    def _say(self, event: Switch.Changed) -> None:
        self.query_one(".switch-word", Label).update(self.words[event.value])

    @property
    def value(self) -> bool:
        return self.query_one(Switch).value


class MarkedRadioButton(RadioButton):
    """A radio button whose dot is there only when it is chosen (Textual's differs by colour alone)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else " "


class MarkedCheckbox(Checkbox):
    """A checkbox showing ✓ when ticked and nothing when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "


def radio(options: list[str], selected: int = 0, *, id: str) -> RadioSet:
    """A set of marked radio buttons, the `selected` one chosen."""
    return RadioSet(*(MarkedRadioButton(label, value=index == selected) for index, label in enumerate(options)),
                    id=id)
