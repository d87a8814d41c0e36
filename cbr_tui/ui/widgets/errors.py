"""Showing a rule's message beside a field: the line appears only while there is something to say."""

from textual.widgets import Label


def show_error(label: Label, message: str) -> None:
    label.update(message)
    label.set_class(bool(message), "-shown")
