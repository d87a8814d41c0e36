"""Dialogs of Identity and Access Management: Create User as the seed's steps describe it, Create User Group,
and granting a CBR system policy to a group. Every rule is the service's; its refusal is shown whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Checkbox, Label, RadioSet, Select

from cbr_tui.domain.iam_rules import SECURITY_RANGES, check_username
from cbr_tui.ui.calls import OPERATIONS
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.fields import Field, whole_number
from cbr_tui.ui.widgets.switch import radio

if TYPE_CHECKING:
    from cbr_tui.services.views.iam import IamGroupView, UserCreated

PASSWORD_TYPES = ["Set now", "Set by user"]
NO_GROUP = "__none__"
ALL_RESOURCES = "__all__"


def _text(text: str) -> str:
    """A field the service checks as a whole when the form is sent (it depends on the others)."""
    return text


class CreateUserDialog(Dialog[str | None]):
    """Step 5 to 7 of *Creating an IAM User*: the user's details, access type, password and group."""

    title_text = "Create User"
    ok_label = "Create"

    def body(self) -> ComposeResult:
        yield Field("Username (e.g. cbr_admin)", check_username, id="user-name")
        yield Field("Email address (mandatory when the password type is Set by user)", _text, id="user-email")
        yield Field("Mobile number (optional)", _text, id="user-phone")
        yield Field("Description (optional, e.g. CBR administrator)", _text, id="user-description")
        yield Label("Access type", classes="field-label")
        yield Checkbox("Management console access", True, id="user-console")
        yield Checkbox("Programmatic access (an access key is issued and shown once)", False, id="user-api")
        yield Label("Password", classes="field-label")
        yield radio(PASSWORD_TYPES, id="user-password-type")
        rule = self.services.iam.security().password_policy.rule
        yield Field(f"Password ({rule})", _text,
                    id="user-password", password=True)
        yield Field("Confirm password", _text, id="user-confirm", password=True)
        yield Label("User group (optional; admin has every permission)", classes="field-label")
        groups = self.services.iam.list_groups().groups
        yield Select([("No group", NO_GROUP)] + [(g.name, g.name) for g in groups], value=NO_GROUP,
                     allow_blank=False, id="user-group")

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Field).text

    def submit(self) -> None:
        from cbr_tui.services.iam import UserSpec

        set_by_user = self.query_one("#user-password-type", RadioSet).pressed_index == 1
        console_access = self.query_one("#user-console", Checkbox).value
        password = None if set_by_user or not console_access else self._value("user-password")
        if password is not None and password != self._value("user-confirm"):
            self.query_one("#user-confirm", Field).show("The two passwords differ; type the same one twice.")
            return
        group = self.query_one("#user-group", Select).value
        spec = UserSpec(name=self._value("user-name"), email=self._value("user-email") or None,
                        phone=self._value("user-phone") or None, description=self._value("user-description") or None,
                        console_access=console_access, programmatic_access=self.query_one("#user-api", Checkbox).value,
                        password=password or None, set_by_user=set_by_user,
                        groups=(str(group),) if group != NO_GROUP else ())
        iam = self.services.iam
        if not self.busy(OPERATIONS):
            self.ask(lambda: iam.create_user(spec), lambda created: self.dismiss(_created_message(created)),
                     refused=self.show_error, load=False)


def _created_message(created: UserCreated) -> str:
    """What the console shows once: the access key's secret, the invitation code."""
    parts = [f"{created.user.name} was created."]
    if created.credential is not None:
        credential = created.credential
        parts.append(f"Access key {credential.access}, secret {credential.secret} (shown only now).")
    if created.password_setup is not None:
        parts.append(f"One-time code for setting the password: {created.password_setup.code}.")
    return " ".join(parts)


class CreateGroupDialog(Dialog[str | None]):
    title_text = "Create User Group"
    ok_label = "Create"

    def body(self) -> ComposeResult:
        yield Field("Name", _text, id="group-name")
        yield Field("Description (optional)", _text, id="group-description")

    def submit(self) -> None:
        name = self.query_one("#group-name", Field).text
        description = self.query_one("#group-description", Field).text or None
        self.run(lambda: self.services.iam.create_group(name, description), f"The user group {name} was created.")


class GrantDialog(Dialog[str | None]):
    """Grant a CBR system policy to a group: on all resources (IAM), or in one enterprise project."""

    ok_label = "Grant"

    def __init__(self, group: IamGroupView) -> None:
        super().__init__()
        self.group = group
        self.title_text = f"Grant Permissions to {group.name}"

    def body(self) -> ComposeResult:
        policies = self.services.iam.policies().roles
        yield Label("Policy", classes="field-label")
        yield Select([(f"{p.display_name}: {p.description}", p.display_name) for p in policies],
                     value=policies[0].display_name, allow_blank=False, id="grant-policy")
        yield Label("Scope", classes="field-label")
        projects = self.services.accounts.enterprise_projects().enterprise_projects
        yield Select([("All resources (granted in IAM)", ALL_RESOURCES)]
                     + [(f"Enterprise project {p.name}", p.id) for p in projects],
                     value=ALL_RESOURCES, allow_blank=False, id="grant-scope")
        yield Label("A user whose CBR FullAccess is granted only in IAM is not offered enterprise projects when "
                    "buying a vault; grant it in an enterprise project for that.", classes="dialog-text")

    def submit(self) -> None:
        policy = str(self.query_one("#grant-policy", Select).value)
        scope = self.query_one("#grant-scope", Select).value
        self.run(lambda: self.services.iam.grant(self.group.id, policy, None if scope == ALL_RESOURCES
                                                 else str(scope)),
                 f"{policy} was granted to {self.group.name}.")



# The dialog's fields: (setting, where the service's view holds its value).
SECURITY_FIELDS = (("password_min_length", "password_policy", "minimum_password_length"),
                   ("password_character_types", "password_policy", "password_char_combination"),
                   ("session_timeout_minutes", "login_policy", "session_timeout"),
                   ("failures_allowed", "login_policy", "login_failed_times"),
                   ("failure_window_minutes", "login_policy", "period_with_login_failures"),
                   ("lockout_minutes", "login_policy", "lockout_duration"))


class SecurityDialog(Dialog[str | None]):
    """Security Settings: each value within IAM's range (the domain's), checked as it is typed."""

    title_text = "Security Settings"
    ok_label = "Save"

    def body(self) -> ComposeResult:
        current = self.services.iam.security()
        for name, part, key in SECURITY_FIELDS:
            least, most, unit, what = SECURITY_RANGES[name]
            yield Field(f"{what.capitalize()} ({least}-{most} {unit})", whole_number,
                        value=str(getattr(getattr(current, part), key)), id=f"security-{name}")

    def submit(self) -> None:
        values = {name: self.query_one(f"#security-{name}", Field).validate() for name, _part, _key in SECURITY_FIELDS}
        if any(value is None for value in values.values()):
            return
        self.run(lambda: self.services.iam.update_security(**values), "The security settings were saved.")
