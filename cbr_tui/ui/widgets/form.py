"""A form's scrolling body: it follows the focus but takes none, so Tab goes straight to the controls."""

from textual.containers import VerticalScroll
from textual.widget import Widget


class FormScroll(VerticalScroll, can_focus=False, inherit_bindings=False):
    """Scrolls to whatever is focused inside; its PgUp/PgDn are left to the screen (the wizard's Back/Next)."""


def focus_first_control(container: Widget, fallback: Widget | None = None) -> None:
    """Put the cursor on the first control of a form (a dialog, a wizard step), as a person expects."""
    controls = [widget for widget in container.query("*") if widget.focusable]
    if controls:
        controls[0].focus()
    elif fallback is not None:
        fallback.focus()
