"""Identity and Access Management: users, user groups, CBR's system policies, SSH keys, Security Settings, who
a console runs as, and access keys (AK/SK). The shapes are IAM's API's where it has one (KeystoneShowUser,
create-access-key, the password and login policies), so the CLI prints what IAM would answer."""

from __future__ import annotations

from typing import Literal

from cbr_tui.services.views.base import NamedRef, View

# --- users and groups ---------------------------------------------------------------------------------------


class IamUserView(View):
    """A user as IAM's API shows it (KeystoneShowUser, with `access_mode` and `pwd_status`)."""

    id: str
    name: str
    domain_id: str  # the account's ID
    email: str | None
    phone: str | None
    description: str | None
    enabled: bool
    access_mode: Literal["default", "console", "programmatic"]  # default: console and programmatic
    pwd_status: bool  # whether a password is set (a Set by user user has none until their first login)
    groups: list[str]  # their groups' names
    last_login_time: str | None
    create_time: str


class GroupPermission(View):
    """A policy granted to a group, and where: "all resources" (IAM) or an enterprise project's name."""

    policy: str
    scope: str


class Permission(GroupPermission):
    """What a user may do where, and the group that grants it."""

    group: str


class IamGroupView(View):
    id: str
    name: str
    description: str | None
    users: int  # how many members
    permissions: list[GroupPermission]
    create_time: str


class UserAnswer(View):
    user: IamUserView


class UserDetail(UserAnswer):
    permissions: list[Permission]


class UserPage(View):
    users: list[IamUserView]
    count: int


class GroupAnswer(View):
    group: IamGroupView


class GroupPage(View):
    groups: list[IamGroupView]
    count: int


class IamDeleted(View):
    """The user or group deleted."""

    deleted: NamedRef


# --- access keys ------------------------------------------------------------------------------------------


class AccessKeyIssued(View):
    """IAM's create-access-key answer: the only time the secret is shown."""

    access: str
    secret: str
    user_id: str
    status: str
    create_time: str
    description: str


class ApiCredential(AccessKeyIssued):
    """A key made for the v3 API, with the project its paths name."""

    project_id: str


class CredentialAnswer(View):
    credential: ApiCredential


class PasswordSetup(View):
    """The one-time code IAM would email a *Set by user* user, to set their password with."""

    email: str | None
    code: str
    note: str


class UserCreated(UserAnswer):
    """A new user, with what cannot be shown again: the access key (programmatic access) and the password code
    (Set by user); each is None when the user has none."""

    credential: AccessKeyIssued | None = None
    password_setup: PasswordSetup | None = None


class AccessKeyView(View):
    """An access key as listed: never its secret."""

    access: str
    user_id: str
    user_name: str
    status: str
    create_time: str
    signs_requests: bool  # False for keys issued before the API existed (they kept only a hash)


class AccessKeyList(View):
    credentials: list[AccessKeyView]


class AccessRef(View):
    access: str


class AccessKeyDeleted(View):
    deleted: AccessRef


# --- system policies --------------------------------------------------------------------------------------


class PolicyStatement(View):
    """A statement of an IAM policy document (its keys are capitalised, as IAM writes them)."""

    Effect: Literal["Allow", "Deny"]
    Action: list[str]


class PolicyDocument(View):
    Version: str
    Statement: list[PolicyStatement]


class SystemPolicyView(View):
    """A CBR system policy that can be granted, as IAM lists its roles."""

    display_name: str
    description: str
    type: str
    policy: PolicyDocument


class SystemPolicyList(View):
    roles: list[SystemPolicyView]


# --- SSH keys ---------------------------------------------------------------------------------------------


class SshKeyView(View):
    id: str
    type: str  # e.g. ssh-ed25519
    fingerprint: str  # SHA256:..., as `ssh-keygen -l` prints it
    comment: str
    create_time: str


class AddedSshKey(View):
    """A key just registered, with whose it is."""

    id: str
    user: str
    type: str
    fingerprint: str
    comment: str
    create_time: str


class SshKeyAnswer(View):
    ssh_key: AddedSshKey


class SshKeyList(View):
    ssh_keys: list[SshKeyView]


class Fingerprint(View):
    fingerprint: str


class SshKeyRemoved(View):
    removed: Fingerprint


# --- Security Settings and who am I -----------------------------------------------------------------------


class PasswordPolicyView(View):
    minimum_password_length: int
    password_char_combination: int  # how many character types a password needs
    rule: str  # the whole rule in words, as forms show it


class LoginPolicyView(View):
    session_timeout: int  # minutes without activity
    login_failed_times: int
    period_with_login_failures: int  # minutes
    lockout_duration: int  # minutes


class SecuritySettingsView(View):
    """The account's Security Settings as IAM's API shows its two policies."""

    password_policy: PasswordPolicyView
    login_policy: LoginPolicyView


class PrincipalView(View):
    user_id: str
    user_name: str
    administrator: bool


class WhoAmI(View):
    """Who a console or command runs as, and what they may do where."""

    principal: PrincipalView
    permissions: list[Permission]
