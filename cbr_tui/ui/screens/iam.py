"""Identity and Access Management (seed, Step 1: *Creating an IAM User*): the account's users and user groups,
and the CBR permissions granted to the groups. Only the account's administrators manage them; anyone else
sees why not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label, TabbedContent, TabPane

from cbr_tui.domain.permissions import Action
from cbr_tui.ui.dialogs.base import ConfirmDialog
from cbr_tui.ui.dialogs.iam_actions import CreateGroupDialog, CreateUserDialog, GrantDialog, SecurityDialog
from cbr_tui.ui.screens.base import ListPage, Page
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

if TYPE_CHECKING:
    from cbr_tui.services.views.iam import IamGroupView, IamUserView, SecuritySettingsView

Item = TypeVar("Item", bound="IamUserView | IamGroupView")


class SecuritySettings(Page):
    """The password policy and the login authentication policy; administrators change them (e)."""

    BINDINGS = [Binding("e", "edit", "Modify", id="iam.security")]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="operations"):
            yield Button("Modify (e)", id="op-security", variant="primary", compact=True)
        yield Label("", id="security-text")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        if not self.cbr_app.ready:
            return
        self.offer(self.query_one("#op-security", Button), Action.MANAGE_IAM)
        self.ask(self.console.iam.security, self._show)

    def _show(self, settings: SecuritySettingsView) -> None:
        password, login = settings.password_policy, settings.login_policy
        self.query_one("#security-text", Label).update(
            f"Password policy: {password.rule}.\n\n"
            f"Login authentication policy: a session ends after {login.session_timeout} minutes without "
            f"activity; {login.login_failed_times} failed logins within {login.period_with_login_failures} "
            f"minutes lock the user for {login.lockout_duration} minutes.")

    @on(Button.Pressed, "#op-security")
    def action_edit(self) -> None:
        if self.permitted(Action.MANAGE_IAM):
            self.app.push_screen(SecurityDialog(), callback=self.finished)


def _user_cells(user: IamUserView) -> tuple[object, ...]:
    access = {"default": "Console, API", "console": "Console", "programmatic": "API"}[user.access_mode]
    return (f"{user.name}\n{user.id}", ", ".join(user.groups) or "--", access, user.email or "--",
            (user.last_login_time or "--")[:19].replace("T", " "))


def _group_cells(group: IamGroupView) -> tuple[object, ...]:
    permissions = "\n".join(f"{p.policy} ({p.scope})" for p in group.permissions) or "--"
    return group.name, str(group.users), permissions


class IamPage(Page):
    def compose(self) -> ComposeResult:
        with Horizontal(classes="page-title"):
            yield Label("Identity and Access Management", classes="title")
        yield Label("", id="iam-refusal", classes="field-error")
        with TabbedContent(id="iam-tabs"):
            with TabPane("Users", id="tab-users"):
                yield UserList()
            with TabPane("User Groups", id="tab-groups"):
                yield GroupList()
            with TabPane("Security Settings", id="tab-security"):
                yield SecuritySettings()

    def refresh_data(self) -> None:
        if not self.cbr_app.ready:
            return
        refused = self.refusal(Action.MANAGE_IAM)
        notice = self.query_one("#iam-refusal", Label)
        notice.update(refused.message if refused else "")
        notice.display = refused is not None
        active = self.query_one(TabbedContent).active_pane
        for listing in active.query(ListPage) if active is not None else []:
            if listing.is_mounted:
                listing.refresh_data()
        for settings in active.query(SecuritySettings) if active is not None else []:
            settings.refresh_data()

    def on_tabbed_content_tab_activated(self) -> None:
        self.refresh_data()


class _IamList(ListPage, Generic[Item]):
    """A list only administrators see; everyone else gets it empty, with its buttons disabled."""

    def fetch(self) -> list[Item]:
        raise NotImplementedError

    @staticmethod
    def cells(item: Item) -> tuple[object, ...]:
        raise NotImplementedError

    def refresh_data(self) -> None:
        for button in self.query(Button):
            self.offer(button, Action.MANAGE_IAM)
        if self.refusal(Action.MANAGE_IAM) is not None:
            self.show_whole_list([], self.cells, key=_key)
            return
        self.ask(self.fetch, lambda items: self.show_whole_list(items, self.cells, key=_key))


def _key(item: IamUserView | IamGroupView) -> str:
    return item.id


class UserList(_IamList["IamUserView"]):
    BINDINGS = [
        Binding("n", "create", "Create User", id="iam.create_user"),
        Binding("d", "delete", "Delete", id="iam.delete_user"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="operations"):
            yield Button("Create User (n)", id="op-create-user", variant="primary", compact=True)
            yield Button("Delete (d)", id="op-delete-user", compact=True)
        yield ConsoleTable((("Username/ID", 34), ("User groups", 18), ("Access type", 12), ("Email", 26),
                            ("Last login", 19)), id="user-table")
        yield Pager(id="user-pager")

    def fetch(self) -> list[IamUserView]:
        return self.console.iam.list_users().users

    @staticmethod
    def cells(item: IamUserView) -> tuple[object, ...]:
        return _user_cells(item)

    @on(Button.Pressed, "#op-create-user")
    def action_create(self) -> None:
        if self.permitted(Action.MANAGE_IAM):
            self.app.push_screen(CreateUserDialog(), callback=self.finished)

    @on(Button.Pressed, "#op-delete-user")
    def action_delete(self) -> None:
        if not self.permitted(Action.MANAGE_IAM):
            return
        iam = self.console.iam
        self.with_selected(lambda key: iam.show_user(key).user, "There is no user yet.", self._confirm_delete)

    def _confirm_delete(self, user: IamUserView) -> None:
        self.app.push_screen(ConfirmDialog(
            "Delete User", f"Delete {user.name}? Their sessions end, their SSH and access keys stop working; "
            "what they did stays.", "Delete", danger=True), callback=lambda yes: self._delete(user) if yes else None)

    def _delete(self, user: IamUserView) -> None:
        iam = self.console.iam
        self.operate(lambda: iam.delete_user(user.id), lambda _done: f"{user.name} was deleted.")


class GroupList(_IamList["IamGroupView"]):
    BINDINGS = [
        Binding("g", "create", "Create User Group", id="iam.create_group"),
        Binding("p", "grant", "Grant", id="iam.grant"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="operations"):
            yield Button("Create User Group (g)", id="op-create-group", variant="primary", compact=True)
            yield Button("Grant (p)", id="op-grant", compact=True)
        yield ConsoleTable((("Group name", 22), ("Users", 6), ("Permissions", 60)), id="group-table")
        yield Pager(id="group-pager")

    def fetch(self) -> list[IamGroupView]:
        return self.console.iam.list_groups().groups

    @staticmethod
    def cells(item: IamGroupView) -> tuple[object, ...]:
        return _group_cells(item)

    @on(Button.Pressed, "#op-create-group")
    def action_create(self) -> None:
        if self.permitted(Action.MANAGE_IAM):
            self.app.push_screen(CreateGroupDialog(), callback=self.finished)

    @on(Button.Pressed, "#op-grant")
    def action_grant(self) -> None:
        if not self.permitted(Action.MANAGE_IAM):
            return
        iam = self.console.iam
        self.with_selected(lambda key: next((g for g in iam.list_groups().groups if g.id == key), None),
                           "There is no user group yet.",
                           lambda group: self.app.push_screen(GrantDialog(group), callback=self.finished))
