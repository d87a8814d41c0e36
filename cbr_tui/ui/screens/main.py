"""The console's main screen: the region picker and account on top, the backup types on the left."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Label, OptionList, Select
from textual.widgets.option_list import Option

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.vault_types import VAULT_TYPES
from cbr_tui.ui.screens.backup_page import BackupTypePage
from cbr_tui.ui.screens.base import Page
from cbr_tui.ui.screens.images import ImagesPage
from cbr_tui.ui.screens.policies import PoliciesPage
from cbr_tui.ui.screens.resources import ResourcesPage
from cbr_tui.ui.screens.tasks import TasksPage
from cbr_tui.ui.widgets.footer import ConsoleFooter

NAV_ORDER = (ObjectType.SERVER, ObjectType.DISK, ObjectType.TURBO, ObjectType.VMWARE, ObjectType.FILE,
             ObjectType.WORKSPACE)
REFRESH_SECONDS = 1.0


def page_id(object_type: ObjectType) -> str:
    return f"page-{object_type.value}"


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+g", "focus_region", "Region", id="main.region"),
        Binding("ctrl+n", "focus_nav", "Menu", id="main.menu"),
    ]

    def compose(self) -> ComposeResult:
        console = self.app.services  # type: ignore[attr-defined]
        regions = console.accounts.regions()["regions"]
        with Horizontal(id="topbar"):
            yield Label("☁ Cloud Backup and Recovery", id="brand")
            yield Select([(f"{r['name']} ({r['id']})", r["id"]) for r in regions], value=console.region_id,
                         allow_blank=False, id="region", compact=True)
            yield Label(self._account_text(), id="account")
        with Horizontal(id="body"):
            options = [Option(VAULT_TYPES[t].page, id=page_id(t)) for t in NAV_ORDER]
            options += [None, Option("Policies", id="page-policies"), Option("Tasks", id="page-tasks"), None,
                        Option("Simulated resources", id="page-resources"), Option("Images", id="page-images")]
            yield OptionList(*options, id="nav")
            with ContentSwitcher(initial=page_id(ObjectType.SERVER), id="pages"):
                for object_type in NAV_ORDER:
                    yield BackupTypePage(object_type, id=page_id(object_type))
                yield PoliciesPage(id="page-policies")
                yield TasksPage(id="page-tasks")
                yield ResourcesPage(id="page-resources")
                yield ImagesPage(id="page-images")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.query_one("#nav", OptionList).highlighted = 0
        self.set_interval(REFRESH_SECONDS, self._refresh_live)
        self.call_after_refresh(self._focus_page)

    def _focus_page(self) -> None:
        """Keys act on the list at once: focus the current page's first table."""
        tables = self.current_page.query("ConsoleTable")
        if tables:
            tables.first().focus()

    @property
    def current_page(self) -> Page:
        switcher = self.query_one(ContentSwitcher)
        return self.query_one(f"#{switcher.current}", Page)

    def pages(self) -> list[tuple[str, str]]:
        """(label, page ID) of every entry of the navigation."""
        nav = self.query_one("#nav", OptionList)
        return [(str(option.prompt), option.id) for option in nav.options if option.id]

    def go_to(self, page_id: str) -> None:
        nav = self.query_one("#nav", OptionList)
        nav.highlighted = nav.get_option_index(page_id)
        self.call_after_refresh(self._focus_page)

    @on(OptionList.OptionHighlighted, "#nav")
    def _navigate(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.query_one(ContentSwitcher).current = event.option.id
            self.current_page.refresh_data()

    @on(OptionList.OptionSelected, "#nav")
    def _enter_page(self) -> None:
        self._focus_page()

    @on(Select.Changed, "#region")
    def _switch_region(self, event: Select.Changed) -> None:
        app = self.app
        if not isinstance(event.value, str) or event.value == app.services.region_id:  # type: ignore[attr-defined]
            return
        try:
            app.switch_region(event.value)  # type: ignore[attr-defined]
        except CbrError as error:
            self.notify(error.message, title=error.code, severity="error")
            return
        for page in self.query(Page):
            page.refresh_data()

    def _account_text(self) -> str:
        account = self.app.services.accounts.show()["account"]  # type: ignore[attr-defined]
        return f"{account['name']} · {account['user_name']} · balance {account['balance']} {account['currency']}"

    @on(Page.Finished)
    def _refresh_account(self) -> None:
        self.query_one("#account", Label).update(self._account_text())

    def _refresh_live(self) -> None:
        """The balance follows purchases and renewals (here or by the CLI); pages showing progress reload."""
        self._refresh_account()
        page = self.current_page
        if page.live:
            page.refresh_data()

    def action_focus_region(self) -> None:
        self.query_one("#region", Select).focus()

    def action_focus_nav(self) -> None:
        self.query_one("#nav", OptionList).focus()
