"""Keeping the console up: an exception in one of its handlers is shown, and the console goes on.

Textual ends a widget's message loop when one of its handlers raises, and then exits the app. The console's
own screens and widgets take `Guarded` first among their bases: their handlers' exceptions are handed to the
app (`CbrApp.report_exception`), which shows a service refusal as it is and anything else with the log's path.
This overrides `MessagePump._dispatch_message`, a private method of the pinned Textual (see pyproject.toml);
tests/ui/test_unexpected_errors.py shows the console still answering keys after a handler raised."""

from typing import Any

from textual.message import Message


class Guarded:
    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            reporter: Any = getattr(self, "app", None)
            report = getattr(reporter, "report_exception", None)
            if report is None:
                raise
            report(error)
