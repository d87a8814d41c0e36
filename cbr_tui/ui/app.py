"""`CbrApp`: the console. It holds the services for the chosen region and runs tasks in the background."""

from textual.app import App
from textual.binding import Binding

from cbr_tui.services.console import Console
from cbr_tui.ui.commands import ConsoleCommands
from cbr_tui.ui.screens.help import HelpScreen
from cbr_tui.ui.screens.main import MainScreen

THEMES = ("textual-dark", "textual-light")


class CbrApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Cloud Backup and Recovery"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.theme"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]
    COMMANDS = App.COMMANDS | {ConsoleCommands}

    def __init__(self, console: Console, *, run_tasks: bool = True, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.services = console
        self.run_tasks = run_tasks
        self._runner = None
        self._scheduler = None
        self.user_keys = keymap or {}

    def on_mount(self) -> None:
        self.theme = THEMES[0]
        self.set_keymap(self.user_keys)
        if self.run_tasks:
            self._runner = self.services.runner()
            self._runner.start()
            self._scheduler = self.services.scheduler()
            self._scheduler.start()
        self.push_screen(MainScreen())

    def on_unmount(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        if self._runner is not None:
            self._runner.stop()

    def switch_region(self, region_id: str) -> None:
        """Everything shown now comes from another region (the same account)."""
        self.services = self.services.in_region(region_id)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        bindings = [active.binding for active in self.screen.active_bindings.values() if active.binding.description]
        bindings.sort(key=lambda binding: not binding.show)  # the footer's keys first, then the list's
        keys = [(self.get_key_display(binding), binding.description, binding.id or "") for binding in bindings]
        self.push_screen(HelpScreen(keys))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)] if self.theme in THEMES else THEMES[0]
