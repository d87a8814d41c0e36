"""The demo clock (ctrl+k, or the palette): run cloud time fast, jump it ahead, or put it back on real time.
A jump runs every policy, expiry and charge on the way, so it runs in a worker and the dialog says so."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.widgets import Button, Input, Label

from cbr_tui.domain.demo_time import parse_duration, parse_rate
from cbr_tui.domain.errors import CbrError
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field

if TYPE_CHECKING:
    from cbr_tui.services.views.clock import ClockJump, ClockView


def clock_text(clock: ClockView) -> str:
    if clock.fixed:
        return f"Cloud time {fmt.when(clock.now)} UTC, on this console's own fixed clock."
    speed = "real speed" if clock.rate == 1 else "standing still while a jump ahead runs" \
        if clock.rate == 0 else f"{clock.rate:,} times real speed"
    return (f"Cloud time {fmt.when(clock.now)} UTC ({clock.offset} from real time), at {speed}. "
            "Every process on this installation's store shares it.")


class ClockDialog(Dialog[str]):
    title_text = "Demo clock"
    ok_label = "Jump ahead"

    def body(self) -> ComposeResult:
        clock = self.services.clock.show().clock
        yield Label(clock_text(clock), id="clock-now", classes="dialog-text")
        yield Label("Jumping ahead runs every policy, expiry and charge that falls due on the way, in order.",
                    classes="dialog-text muted")
        yield Field("Jump ahead by (7d, 12h, 1w2d, 90m)", parse_duration, value="1d", id="clock-advance")
        yield Field("Speed: cloud seconds per real second (3600: an hour a second)", parse_rate,
                    value=str(clock.rate), id="clock-rate")

    def buttons(self) -> Iterable[Button]:
        yield Button("Jump ahead", id="ok", variant="primary", compact=True)
        yield Button("Set speed", id="clock-set-rate", compact=True)
        yield Button("Real time", id="clock-reset", compact=True)
        yield Button("Close", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Set speed and Real time act at once; Jump ahead and Close are the dialog's OK and Cancel."""
        if event.button.id not in ("clock-set-rate", "clock-reset"):
            return  # the base class's handler runs next
        event.stop()
        event.prevent_default()
        if event.button.id == "clock-reset":
            self.run(self.services.clock.reset, "The clock is back on real time.")
        else:
            self._set_rate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the Speed field sets the speed; in the Jump field, jumps."""
        event.stop()
        event.prevent_default()
        if self.query_one("#clock-rate", Field) in event.input.ancestors:
            self._set_rate()
        else:
            self.submit()

    def _set_rate(self) -> None:
        rate = self.query_one("#clock-rate", Field).validate()
        if rate is not None:
            self.run(lambda: self.services.clock.set_rate(rate), "The clock runs at real speed." if rate == 1
                     else f"The clock runs at {rate:,} times real speed.")

    def submit(self) -> None:
        delta = self.query_one("#clock-advance", Field).validate()
        if delta is None:
            return
        for button in self.query(Button):
            button.disabled = button.id != "cancel"
        self.query_one("#clock-now", Label).update("Moving the clock ahead: running what falls due on the way…")
        self._advance(delta)

    @work(thread=True, exit_on_error=False, exclusive=True, name="clock-advance")
    def _advance(self, delta: object) -> None:
        try:
            result = self.services.advance_clock(delta)  # type: ignore[arg-type]
        except CbrError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.dismiss, _summary(result))

    def _refused(self, error: CbrError) -> None:
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#clock-now", Label).update(clock_text(self.services.clock.show().clock))
        self.show_error(error)


def _summary(result: ClockJump) -> str:
    fired = sum(len(stop.fired) for stop in result.stops)
    deleted = sum(len(stop.deleted) for stop in result.stops)
    billing: dict[str, int] = {}
    for stop in result.stops:
        for key, ids in (stop.billing.done() if stop.billing is not None else {}).items():
            billing[key] = billing.get(key, 0) + len(ids)
    events = [_count(fired, "policy run"), _count(deleted, "backup") + " deleted by retention"]
    events += [f"{_count(count, 'vault')} {what}" for what, count in billing.items() if what != "charged"]
    return f"Cloud time is now {fmt.when(result.clock.now)} UTC: " + ", ".join(events) + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
