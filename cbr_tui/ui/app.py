"""`CbrApp`: the console. It holds the services for the chosen region and runs tasks in the background.

Started by `cbr-tui`, it draws its screen first and opens the store beside it: importing the data layer
(SQLAlchemy, SQLModel) takes longer than drawing the console, so the page shows a loading indicator until the
store is open, and only then fills in, builds the demo inventory (on a first start) and starts the runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from time import monotonic  # the idle limit is on the real monotonic clock, not cloud time
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from cbr_tui.domain.errors import CbrError
from cbr_tui.services.errorlog import record_unexpected
from cbr_tui.ui.dialogs.base import MessageDialog, NoticeScreen, QuitDialog
from cbr_tui.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from cbr_tui.domain.permissions import Principal
    from cbr_tui.services.authentication import LoggedIn
    from cbr_tui.services.console import Console
    from cbr_tui.services.settings import Settings

THEMES = ("textual-dark", "textual-light")


def console_commands() -> type[Provider]:
    """The console's palette commands, imported when the palette first opens (Textual's palette is not
    needed to draw the first screen)."""
    from cbr_tui.ui.commands import ConsoleCommands

    return ConsoleCommands

UNEXPECTED_ERRORS_MAX = 50
IDLE_CHECK_SECONDS = 30.0


class CbrApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere (benchmarks) keep it
    TITLE = "Cloud Backup and Recovery"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.theme"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]
    COMMANDS = App.COMMANDS | {console_commands}
    # Screens get -narrow below 100 columns and -short below 30 rows: app.tcss lays out 80x24 with them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    class Ready(Message):
        """The store is open: the screens can show data."""

    def __init__(self, console: Console | Callable[[], Console], *, settings: Settings | None = None,
                 run_tasks: bool = True, keymap: dict[str, str] | None = None, login: bool = False,
                 idle_limit: timedelta | None = None, session_token: str | None = None) -> None:
        """`console`: the open console, or how to open it (then the screen is drawn first). `settings` says
        where the data is before the console is open (the header's region, the log's place). `login`: an IAM
        user logs in first (a console served in a browser), and nothing is shown before. `idle_limit`: a
        served console ends after this long without a key or a click (the login policy's session timeout).
        `session_token`: the IAM session this console acts for (the SSH server's login), checked again every
        half minute: a deleted user or session ends the console, changed permissions apply at once."""
        super().__init__()
        self.idle_limit = idle_limit
        self._last_input = monotonic()
        self.login_required = login
        self.session_token = session_token
        self._open: Callable[[], Console] | None = console if callable(console) else None
        self.services: Console = None if callable(console) else console  # type: ignore[assignment]
        self.settings = settings if settings is not None else self.services.settings
        self.run_tasks = run_tasks
        # The demo inventory (on a first start), the task runner and the policy scheduler: started once the
        # first screen is drawn, so that they do not delay it.
        self.background_work = self.services.background() if run_tasks and self.services else None
        self.user_keys = keymap or {}
        self.unexpected_errors: list[Exception] = []

    @property
    def ready(self) -> bool:
        """Whether the store is open (always, when the app was given an open console)."""
        return self.services is not None

    def on_mount(self) -> None:
        self.theme = THEMES[0]
        self.set_keymap(self.user_keys)
        if self.idle_limit is not None or self.session_token is not None:
            self.set_interval(IDLE_CHECK_SECONDS, self._check_session)
        if not self.login_required:  # a console behind a login shows nothing before it
            self.push_screen(MainScreen(classes=self._size_classes()))
        if self._open is not None:
            self.call_after_refresh(self._open_console)
        elif self.background_work is not None:
            self.call_after_refresh(self.background_work.start)

    def _size_classes(self) -> str:
        """The breakpoint classes of the terminal's size (-narrow/-wide, -short/-tall), given to the first
        screen when it is made: Textual sets them at its first resize, restyling every widget once more
        before the first frame."""
        width, height = self.size
        return " ".join(next(name for least, name in sorted(points, reverse=True) if size >= least)
                        for size, points in ((width, self.HORIZONTAL_BREAKPOINTS), (height, self.VERTICAL_BREAKPOINTS)))

    @work(thread=True, exit_on_error=False, name="open-console")
    def _open_console(self) -> None:
        assert self._open is not None
        try:
            console = self._open()
        except Exception as error:  # shown, then the console ends: there is nothing to show without a store
            self.call_from_thread(self._not_opened, error)
            return
        self.call_from_thread(self._opened, console)

    def _opened(self, console: Console) -> None:
        if self.login_required and self.session_token is None:
            from cbr_tui.ui.screens.login import LoginScreen

            self.push_screen(LoginScreen(console))
            return
        if self.idle_limit is not None:  # the account's own session timeout (Security Settings)
            self.idle_limit = timedelta(minutes=console.iam.security().login_policy.session_timeout)
        self.services = console
        if self.run_tasks:
            self.background_work = console.background()
            self.call_after_refresh(self.background_work.start)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.post_message(self.Ready())

    def _not_opened(self, error: Exception) -> None:
        if isinstance(error, CbrError):
            dialog = MessageDialog(error.code, error.message)
        else:
            where = record_unexpected(error, self.settings.home)
            dialog = MessageDialog("The data could not be opened", f"{type(error).__name__}: {error}."
                                   + (f" Its details are in {where}." if where else ""))
        self.push_screen(dialog, callback=lambda _closed: self.exit(return_code=1))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = monotonic()
        await super().on_event(event)

    def _check_session(self) -> None:
        """The login policy's session timeout, for a console served to someone (SSH, a browser), and the
        session itself: still there, and its user's permissions as they are now."""
        if self.idle_limit is not None and monotonic() - self._last_input > self.idle_limit.total_seconds():
            minutes = round(self.idle_limit.total_seconds() / 60)
            self.exit(return_code=0, message=f"The session ended after {minutes} minutes without activity.")
        elif self.session_token is not None and self.services is not None:
            self._recheck_session(self.session_token)

    @work(thread=True, exit_on_error=False, exclusive=True, name="session-check")
    def _recheck_session(self, token: str) -> None:
        try:
            principal = self.services.authentication.resume(token)
        except CbrError as error:
            self.call_from_thread(self.exit, return_code=1, message=f"{error.code}: {error.message}")
            return
        if principal != self.services.principal:
            self.call_from_thread(self._principal_changed, principal)

    def _principal_changed(self, principal: Principal) -> None:
        self.services = self.services.as_principal(principal)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.post_message(self.Ready())

    def signed_in(self, logged_in: LoggedIn, console: Console) -> None:
        """The login screen's user is in: the console (of their account) opens as them."""
        from cbr_tui.ui.screens.login import LoginScreen

        if isinstance(self.screen, LoginScreen):
            self.session_token = logged_in.token
            self.switch_screen(MainScreen(classes=self._size_classes()))
            self._opened(console.as_principal(logged_in.principal))

    def on_unmount(self) -> None:
        if self.background_work is not None:
            self.background_work.stop()
        if self.session_token is not None and self.services is not None:
            self.services.authentication.log_out(self.session_token)

    def switch_region(self, region_id: str) -> None:
        """Everything shown now comes from another region (the same account)."""
        self.services = self.services.in_region(region_id)

    async def action_quit(self) -> None:
        """Quit at once, unless this console is running backups or restores: then say what becomes of them
        and ask (ctrl+q again, or Quit, confirms)."""
        runner = self.background_work.runner if self.background_work is not None else None
        held = self.services.tasks.held_by(runner.owner).operation_logs if runner is not None else []
        if not held:
            self.exit()
        elif isinstance(self.screen, QuitDialog):
            self.screen.dismiss(True)
        else:
            self.push_screen(QuitDialog(held), callback=lambda quit_now: self._stop_then_exit() if quit_now else None)

    def _stop_then_exit(self) -> None:
        """Stopping running copies takes a moment (they stop at their next block): say so meanwhile."""
        self.push_screen(NoticeScreen("Quitting", "Stopping the tasks this console runs; they wait for the next "
                                                  "start of cbr-tui, or a `cbr-tui worker`."))
        self._stop_background()

    @work(thread=True, exit_on_error=False, name="stop-background")
    def _stop_background(self) -> None:
        if self.background_work is not None:
            self.background_work.stop()
        self.call_from_thread(self.exit)

    # --- errors nobody caught ----------------------------------------------------------------------------

    def report_exception(self, error: Exception) -> None:
        """Show what went wrong and keep going: a service's refusal as it is (code and sentence), anything
        else as an unexpected error with the log file that holds its traceback."""
        if isinstance(error, CbrError):
            self._show_once(MessageDialog.of(error))
            return
        if self._showing(f"{type(error).__name__}: {error}."):
            return  # a page that reloads every second meets the same error again: it is on screen already
        self.unexpected_errors.append(error)
        if len(self.unexpected_errors) > UNEXPECTED_ERRORS_MAX:
            super()._handle_exception(error)  # a storm of errors: the console's state cannot be trusted
            return
        where = record_unexpected(error, self.settings.home)
        detail = f" Its details are in {where}." if where else " It could not be written to the log."
        self.push_screen(MessageDialog(
            "Unexpected error", f"Something went wrong that the console did not expect: {type(error).__name__}: "
            f"{error}.{detail} The console keeps running; what you were doing may not have finished."))

    def _showing(self, text: str) -> bool:
        screen = self.screen
        return isinstance(screen, MessageDialog) and text in screen.message

    def _show_once(self, dialog: MessageDialog) -> None:
        if not self._showing(dialog.message):
            self.push_screen(dialog)

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (timers, callbacks, rendering): once the console is on screen, report the
        error instead of exiting; before that there is nothing to show it on."""
        if self._exit or not any(isinstance(screen, MainScreen) for screen in self.screen_stack):
            if self.idle_limit is not None:
                # A console served to someone else: Textual's report would show them the traceback and its
                # local variables (settings, a database URL); they get where it was logged instead.
                where = record_unexpected(error, self.settings.home)
                self.exit(return_code=1, message=f"The console stopped on an unexpected error ({type(error).__name__})"
                                                 + (f"; its details are in {where} on the server." if where else "."))
                return
            super()._handle_exception(error)
            return
        self.report_exception(error)

    def action_help(self) -> None:
        from cbr_tui.ui.screens.help import HelpScreen  # Markdown and the guide load when Help is first opened

        if isinstance(self.screen, HelpScreen):
            return
        bindings = [active.binding for active in self.screen.active_bindings.values() if active.binding.description]
        bindings.sort(key=lambda binding: not binding.show)  # the footer's keys first, then the list's
        keys = [(self.get_key_display(binding), binding.description, binding.id or "") for binding in bindings]
        self.push_screen(HelpScreen(keys))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)] if self.theme in THEMES else THEMES[0]
