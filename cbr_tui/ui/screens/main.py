"""The console's main screen: the region picker and account on top, the backup types on the left."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Label, OptionList, Select
from textual.widgets.option_list import Option

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.errors import CbrError
from cbr_tui.domain.vault_types import VAULT_TYPES
from cbr_tui.ui.calls import Asks
from cbr_tui.ui.dialogs.base import MessageDialog
from cbr_tui.ui.guard import Guarded
from cbr_tui.ui.screens.backup_page import BackupTypePage
from cbr_tui.ui.screens.base import ListPage, Page, shown
from cbr_tui.ui.widgets.footer import ConsoleFooter

if TYPE_CHECKING:
    from cbr_tui.services.views import AccountView, ClockView, NoticeView
    from cbr_tui.ui.app import CbrApp

NAV_ORDER = (ObjectType.SERVER, ObjectType.DISK, ObjectType.TURBO, ObjectType.VMWARE, ObjectType.FILE,
             ObjectType.WORKSPACE)
REFRESH_SECONDS = 1.0


def page_id(object_type: ObjectType) -> str:
    return f"page-{object_type.value}"


# The other pages' modules are imported when a page is first shown (the first screen needs none of them).
OTHER_PAGES = {
    "page-policies": "cbr_tui.ui.screens.policies:PoliciesPage", "page-tasks": "cbr_tui.ui.screens.tasks:TasksPage",
    "page-resources": "cbr_tui.ui.screens.resources:ResourcesPage",
    "page-images": "cbr_tui.ui.screens.images:ImagesPage",
    "page-iam": "cbr_tui.ui.screens.iam:IamPage",
    "page-billing": "cbr_tui.ui.screens.billing:BillingPage",
}


def new_page(identifier: str) -> Page:
    """The page of a navigation entry: a backup type's page, or one of the others."""
    for object_type in NAV_ORDER:
        if identifier == page_id(object_type):
            return BackupTypePage(object_type, id=identifier)
    module, name = OTHER_PAGES[identifier].split(":")
    page: type[Page] = getattr(importlib.import_module(module), name)
    return page(id=identifier)


@dataclass(frozen=True)
class Header:
    """What the top bar shows, and the newest notifications."""

    account: AccountView
    clock: ClockView
    notices: list[NoticeView]


class MainScreen(Guarded, Asks, Screen[None]):
    AUTO_FOCUS = None  # the page's list takes the focus once it has data (not the navigation meanwhile)
    BINDINGS = [
        Binding("ctrl+g", "focus_region", "Region", id="main.region"),
        Binding("ctrl+n", "focus_nav", "Menu", id="main.menu"),
        Binding("ctrl+k", "clock", "Clock", id="main.clock"),
        Binding("escape", "back_to_page", "Back to the page", show=False, id="main.back"),
    ]

    notices_seen: int | None = None  # the newest notification shown (None: not looked yet)

    @property
    def cbr_app(self) -> CbrApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.cbr_app
        with Horizontal(id="topbar"):
            yield Label("☁ Cloud Backup and Recovery", id="brand")
            yield Label("☁ CBR", id="brand-short")
            yield self._region_picker() if app.ready else Label(app.settings.region, id="region-opening")
            yield Label("", id="account")
            yield Label("", id="cloud-time")
            yield Label("", id="balance")
        with Horizontal(id="body"):
            options: list[Option | None] = [Option(VAULT_TYPES[t].page, id=page_id(t)) for t in NAV_ORDER]
            options += [None, Option("Policies", id="page-policies"), Option("Tasks", id="page-tasks"), None,
                        Option("Simulated resources", id="page-resources"), Option("Images", id="page-images"), None,
                        Option("Identity and Access Management", id="page-iam"), Option("Billing", id="page-billing")]
            yield OptionList(*options, id="nav")
            with ContentSwitcher(initial=page_id(ObjectType.SERVER), id="pages"):
                yield new_page(page_id(ObjectType.SERVER))
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.query_one("#nav", OptionList).highlighted = 0
        self.set_interval(REFRESH_SECONDS, self._refresh_live)
        if self.cbr_app.ready:
            self._fill_in()

    def on_cbr_app_ready(self) -> None:
        """The store is open (it opens beside the first screen): fill the header in, load the page."""
        for listing in self.query(ListPage):
            listing.loading = False
        self._fill_in()
        self.current_page.refresh_data()

    def _region_picker(self) -> Select[str]:
        console = self.cbr_app.services
        return Select([(f"{r.name} ({r.id})", r.id) for r in console.accounts.regions().regions],
                      value=console.region_id, allow_blank=False, id="region", compact=True)

    def _fill_in(self) -> None:
        for opening in self.query("#region-opening"):
            self.query_one("#topbar").mount(self._region_picker(), after=opening)
            opening.remove()
        self._refresh_account()
        self.call_after_refresh(self._focus_page)

    def _focus_page(self) -> None:
        """Keys act on the page at once: focus its main control (the visible list), so that the footer shows
        the page's keys."""
        control = self.current_page.main_control()
        if control is not None:
            control.focus()

    def on_screen_resume(self) -> None:
        """Back from a dialog, the palette or a details page: keep the focus on something shown."""
        self.call_after_refresh(self._keep_focus_shown)

    def _keep_focus_shown(self) -> None:
        focused = self.focused
        if focused is None or not shown(focused):
            self._focus_page()

    def action_back_to_page(self) -> None:
        """Esc in the navigation or the region picker goes back to the page."""
        self._focus_page()

    @property
    def current_page(self) -> Page:
        switcher = self.query_one(ContentSwitcher)
        return self.query_one(f"#{switcher.current}", Page)

    def pages(self) -> list[tuple[str, str]]:
        """(label, page ID) of every entry of the navigation."""
        nav = self.query_one("#nav", OptionList)
        return [(str(option.prompt), option.id) for option in nav.options if option.id]

    def go_to(self, page_id: str) -> None:
        """Open a page (the palette's Go to): its list gets the keys once it is shown."""
        nav = self.query_one("#nav", OptionList)
        nav.highlighted = nav.get_option_index(page_id)

    @on(OptionList.OptionHighlighted, "#nav")
    async def _navigate(self, event: OptionList.OptionHighlighted) -> None:
        """Show the page; a page is built the first time it is shown (the first screen builds one)."""
        if not event.option.id or not self.cbr_app.ready:
            return
        switcher = self.query_one(ContentSwitcher)
        if not switcher.query_children(f"#{event.option.id}"):
            await switcher.mount(new_page(event.option.id))
        switcher.current = event.option.id
        self.current_page.refresh_data()
        if self.focused is not event.option_list:  # browsing the navigation keeps the focus there
            self.call_after_refresh(self._focus_page)

    @on(OptionList.OptionSelected, "#nav")
    def _enter_page(self) -> None:
        self._focus_page()

    def on_descendant_focus(self) -> None:
        """On a small terminal the navigation shows only while it has the focus (ctrl+n)."""
        self.query_one("#nav").set_class(self.focused is self.query_one("#nav"), "-open")

    @on(Select.Changed, "#region")
    def _switch_region(self, event: Select.Changed) -> None:
        app = self.cbr_app
        if not app.ready or not isinstance(event.value, str) or event.value == app.services.region_id:
            return
        try:
            app.switch_region(event.value)
        except CbrError as error:
            self.app.push_screen(MessageDialog.of(error))
            return
        for page in self.query(Page):
            page.refresh_data()
        self._focus_page()

    @on(Page.Finished)
    def _refresh_account(self) -> None:
        """Who is signed in (left out on a small terminal), the balance (always shown), cloud time, and the
        notifications sent since the last look: asked together, in a worker."""
        services = self.cbr_app.services
        self.ask(lambda: Header(services.accounts.show().account, services.clock.show().clock,
                                services.notices.list(limit=5).notices), self._show_header)

    def _show_header(self, header: Header) -> None:
        account = header.account
        principal = self.cbr_app.services.principal
        user = principal.user_name or account.user_name
        if principal.read_only:
            user += " (read-only)"
        self.query_one("#account", Label).update(f"{account.name} · {user} ·")
        self.query_one("#balance", Label).update(f"balance {account.balance} {account.currency}")
        clock = header.clock
        cloud_time = self.query_one("#cloud-time", Label)
        cloud_time.display = clock.simulated  # shown only when cloud time is not real time
        if clock.simulated:
            rate = clock.rate  # 0 while a jump ahead is under way
            speed = "" if rate == 1 else " paused" if rate == 0 else f" x{rate:,}"  # one cell a character
            cloud_time.update(f"cloud {clock.now[:16].replace('T', ' ')}{speed} ·")
        self._announce_notices(header.notices)

    def action_clock(self) -> None:
        """The demo clock: run cloud time fast, jump it ahead, or put it back on real time."""
        from cbr_tui.ui.dialogs.clock import ClockDialog

        if self.cbr_app.ready:
            self.app.push_screen(ClockDialog(), callback=self._clock_moved)

    def _clock_moved(self, message: str | None) -> None:
        self.current_page.finished(message)

    def _refresh_live(self) -> None:
        """The balance follows purchases and renewals (here or by the CLI); pages showing progress reload.
        Not while a full screen (a purchase wizard, Help) covers this one: nothing of it is seen."""
        if not self.cbr_app.ready or not (self.is_current or isinstance(self.app.screen, ModalScreen)):
            return
        if not self.busy():
            self._refresh_account()
        page = self.current_page
        if page.live:
            page.refresh_live()

    def _announce_notices(self, newest: list[NoticeView]) -> None:
        """The notifications CBR sends (SMN), as the console's own: one toast for each sent since the last
        look; those sent before the console opened are in `cbr-tui vault notices`."""
        seen, self.notices_seen = self.notices_seen, max([n.id for n in newest] + [self.notices_seen or 0])
        if seen is None:
            return
        for notice in reversed([n for n in newest if n.id > seen]):
            self.app.notify(notice.message, title="Notification (SMN)", severity="warning", timeout=10)

    def action_focus_region(self) -> None:
        for region in self.query("#region"):
            region.focus()

    def action_focus_nav(self) -> None:
        nav = self.query_one("#nav", OptionList)
        nav.add_class("-open")
        self.call_after_refresh(nav.focus)
