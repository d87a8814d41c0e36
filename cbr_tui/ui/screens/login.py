"""The first screen of a console served in a browser (`cbr-tui serve web`): log in as an IAM user, as the
IAM user login page asks. Nothing of the account is shown before the login succeeds; a user whose password
type is *Set by user* sets it here with the invitation's one-time code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from cbr_tui.domain.errors import CbrError
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.widgets.errors import show_error
from cbr_tui.ui.widgets.fields import Field
from cbr_tui.ui.widgets.footer import ConsoleFooter

if TYPE_CHECKING:
    from cbr_tui.services.authentication import LoggedIn
    from cbr_tui.services.console import Console
    from cbr_tui.ui.app import CbrApp


def _as_typed(text: str) -> str:
    """The service checks these fields when the form is sent."""
    return text


class LoginScreen(Guarded, Screen[None]):
    AUTO_FOCUS = None
    BINDINGS = [Binding("ctrl+s", "log_in", "Log In", priority=True, id="login.submit")]

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="login"):
            yield Label("Cloud Backup and Recovery: IAM User Login", classes="dialog-title")
            yield Field(f"Account name (empty: {self.console.accounts.show().account.name})", _as_typed,
                        id="login-account")
            yield Field("IAM username", _as_typed, id="login-name")
            yield Field("Password", _as_typed, id="login-password", password=True)
            yield Field("One-time code (only at a first login with the password type Set by user)", _as_typed,
                        id="login-code")
            rule = self.console.iam.security().password_policy.rule
            yield Label(f"With a one-time code, the password above becomes yours: {rule}.", classes="dialog-text")
            yield Label("", id="login-error", classes="field-error")
            yield Button("Log In", id="login-button", variant="primary", compact=True)
        yield ConsoleFooter()

    def on_mount(self) -> None:
        """The cursor starts on the username (the account is most often the installation's own, above it)."""
        self.call_after_refresh(self._first_focus)

    def _first_focus(self) -> None:
        if self.focused is None:
            self.query_one("#login-name Input").focus()

    def _text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Field).text

    @on(Input.Submitted)
    @on(Button.Pressed, "#login-button")
    def action_log_in(self) -> None:
        self.query_one("#login-button", Button).disabled = True
        self._check(self._text("login-account").strip(), self._text("login-name"), self._text("login-password"),
                    self._text("login-code"))

    @work(thread=True, exit_on_error=False, name="log-in")
    def _check(self, account: str, name: str, password: str, code: str) -> None:
        """The password hash is slow on purpose: it is checked off the event loop, in the account named."""
        try:
            console = self.console if not account else self.console.of_account(account)
            authentication = console.authentication
            logged_in = (authentication.set_first_password(name, code, password, source="web") if code
                         else authentication.log_in(name, password, source="web"))
        except CbrError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self._logged_in, logged_in, console)

    def _refused(self, error: CbrError) -> None:
        show_error(self.query_one("#login-error", Label), f"{error.code}: {error.message}")
        self.query_one("#login-password", Field).text = ""
        self.query_one("#login-button", Button).disabled = False

    def _logged_in(self, logged_in: LoggedIn, console: Console) -> None:
        app: CbrApp = self.app  # type: ignore[assignment]
        app.signed_in(logged_in, console)
