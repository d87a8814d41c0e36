"""Identity and Access Management (seed, Step 1: *Creating an IAM User*): users, user groups, grants of CBR's
system policies, and SSH keys, all managed by the account's administrators.

Logging in, resuming a session and SSH key checks are in `services/authentication.py`; both build the
`Principal` a console or a command then runs as (`services/principals.py`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeVar

from sqlmodel import Session, col, select

from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.domain.clock import api_time
from cbr_tui.domain.errors import invalid
from cbr_tui.domain.iam_rules import (
    DEFAULT_SECURITY,
    SECURITY_RANGES,
    SSH_KEYS_PER_USER,
    SecurityPolicy,
    check_email,
    check_group_name,
    check_password,
    check_phone,
    check_security_policy,
    check_user_description,
    check_username,
)
from cbr_tui.domain.ids import stable_hex32
from cbr_tui.domain.permissions import (
    ADMIN_GROUP,
    DEFAULT_ENTERPRISE_PROJECT,
    SYSTEM_POLICIES,
    Action,
    Principal,
)
from cbr_tui.domain.rules import check_plain_text
from cbr_tui.domain.secrets import hash_secret, new_token, token_digest
from cbr_tui.services.access_keys import issue_access_key
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.principals import principal_of
from cbr_tui.services.views.base import NamedRef
from cbr_tui.services.views.iam import (
    AddedSshKey,
    Fingerprint,
    GroupAnswer,
    GroupPage,
    GroupPermission,
    IamDeleted,
    IamGroupView,
    IamUserView,
    LoginPolicyView,
    PasswordPolicyView,
    PasswordSetup,
    Permission,
    PolicyDocument,
    PolicyStatement,
    PrincipalView,
    SecuritySettingsView,
    SshKeyAnswer,
    SshKeyList,
    SshKeyRemoved,
    SshKeyView,
    SystemPolicyList,
    SystemPolicyView,
    UserAnswer,
    UserCreated,
    UserDetail,
    UserPage,
    WhoAmI,
)
from cbr_tui.store.models import (
    AccessKey,
    EnterpriseProject,
    IamGrant,
    IamGroup,
    IamMembership,
    IamSecurity,
    IamSession,
    IamSshKey,
    IamUser,
)

ADMIN_GROUP_DESCRIPTION = "User group with all operation permissions"
Named = TypeVar("Named", IamUser, IamGroup)


@dataclass(frozen=True)
class UserSpec:
    """The Create User page: who the user is, how they get in, and their groups."""

    name: str
    email: str | None = None
    phone: str | None = None
    description: str | None = None
    console_access: bool = True
    programmatic_access: bool = False
    password: str | None = None  # "Set now"
    set_by_user: bool = False  # "Set by user": a one-time code (IAM emails a link) lets them set it
    groups: tuple[str, ...] = field(default_factory=tuple)


def ensure_admin_group(session: Session, account_id: str, now: datetime) -> IamGroup:
    """Every account has the `admin` group: its members hold every permission."""
    group_id = stable_hex32("iam-group", account_id, ADMIN_GROUP)
    group = session.get(IamGroup, group_id)
    if group is None:
        group = IamGroup(id=group_id, account_id=account_id, name=ADMIN_GROUP,
                         description=ADMIN_GROUP_DESCRIPTION, created_at=now)
        session.add(group)
    return group


def security_policy(session: Session, account_id: str) -> SecurityPolicy:
    """The account's Security Settings (IAM's defaults until an administrator changes them)."""
    row = session.get(IamSecurity, account_id)
    if row is None:
        return DEFAULT_SECURITY
    return SecurityPolicy(**{name: getattr(row, name) for name in SECURITY_RANGES})


def security_shape(policy: SecurityPolicy) -> SecuritySettingsView:
    """As IAM's API shows the two policies (`password_policy`, `login_policy`)."""
    return SecuritySettingsView(
        password_policy=PasswordPolicyView(minimum_password_length=policy.password_min_length,
                                           password_char_combination=policy.password_character_types,
                                           rule=policy.password_rule),
        login_policy=LoginPolicyView(session_timeout=policy.session_timeout_minutes,
                                     login_failed_times=policy.failures_allowed,
                                     period_with_login_failures=policy.failure_window_minutes,
                                     lockout_duration=policy.lockout_minutes))


def ssh_key_fingerprint(public_key: str) -> tuple[str, str, str]:
    """An OpenSSH public key line (`ssh-ed25519 AAAA... comment`): its type, SHA256 fingerprint (as `ssh-keygen
    -l` and asyncssh print it) and comment; refuses what is not one."""
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    parts = public_key.strip().split(None, 2)
    if len(parts) < 2:
        raise invalid("An SSH public key is one line such as 'ssh-ed25519 AAAA... you@laptop' (the .pub file).")
    try:
        load_ssh_public_key(" ".join(parts[:2]).encode())
        blob = base64.b64decode(parts[1], validate=True)
    except (ValueError, binascii.Error, TypeError):
        raise invalid("That is not an SSH public key that can be read; give the one line of your .pub file.") from None
    comment = check_plain_text(parts[2] if len(parts) > 2 else "", "SSH key comment")[:255]
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return parts[0], f"SHA256:{digest}", comment


def user_shape(user: IamUser, groups: list[str]) -> IamUserView:
    """The user as IAM's API shows it (KeystoneShowUser, with `access_mode` and `pwd_status`)."""
    access: Literal["default", "console", "programmatic"] = \
        "default" if user.console_access and user.programmatic_access else \
        "programmatic" if user.programmatic_access else "console"
    return IamUserView(
        id=user.id,
        name=user.name,
        domain_id=user.account_id,
        email=user.email,
        phone=user.phone,
        description=user.description,
        enabled=user.enabled,
        access_mode=access,
        pwd_status=user.password_hash is not None,
        groups=groups,
        last_login_time=api_time(user.last_login_at),
        create_time=api_time(user.created_at),
    )


def group_shape(group: IamGroup, members: int, grants: list[IamGrant], projects: dict[str, str]) -> IamGroupView:
    permissions = [GroupPermission(policy=g.policy, scope=projects.get(g.scope, g.scope) if g.scope
                                   else "all resources") for g in grants] if group.name != ADMIN_GROUP else \
        [GroupPermission(policy="every permission", scope="all resources")]
    return IamGroupView(id=group.id, name=group.name, description=group.description, users=members,
                        permissions=permissions, create_time=api_time(group.created_at))


class IamService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _manage(self) -> None:
        self.ctx.principal.require(Action.MANAGE_IAM)

    # --- lookups ------------------------------------------------------------------------------------

    def _named(self, session: Session, model: type[Named], ref: str, refusal: str) -> Named:
        """The account's user or group whose ID or name is `ref`."""
        row = session.get(model, ref)
        if row is None or row.account_id != self.ctx.account_id:
            row = session.exec(select(model).where(col(model.account_id) == self.ctx.account_id,
                                                   col(model.name) == ref)).first()
        if row is None:
            raise invalid(refusal)
        return row

    def _user(self, session: Session, ref: str) -> IamUser:
        return self._named(session, IamUser, ref, f"There is no IAM user {ref!r}; `cbr-tui iam user list` shows them.")

    def _group(self, session: Session, ref: str) -> IamGroup:
        if ref == ADMIN_GROUP:
            return ensure_admin_group(session, self.ctx.account_id, self.ctx.clock.now())
        return self._named(session, IamGroup, ref,
                           f"There is no user group {ref!r}; `cbr-tui iam group list` shows them.")

    def _projects(self, session: Session) -> dict[str, str]:
        rows = session.exec(select(EnterpriseProject).where(EnterpriseProject.account_id == self.ctx.account_id))
        return {row.id: row.name for row in rows}

    def _groups_of(self, session: Session, user_id: str) -> list[str]:
        rows = session.exec(select(IamGroup.name).join(IamMembership, col(IamMembership.group_id) == IamGroup.id)
                            .where(IamMembership.user_id == user_id).order_by(IamGroup.name)).all()
        return list(rows)

    # --- users --------------------------------------------------------------------------------------

    def create_user(self, spec: UserSpec) -> UserCreated:
        """Create a user as the seed's steps do. The answer holds, once, what cannot be shown again: the
        access key's secret (programmatic access) and the code that lets a *Set by user* user set a password."""
        self._manage()
        name = check_username(spec.name)
        if not spec.console_access and not spec.programmatic_access:
            raise invalid("Choose an access type: Management console access, Programmatic access, or both.")
        email = check_email(spec.email, required=spec.console_access and spec.set_by_user)
        phone = check_phone(spec.phone)
        description = check_user_description(spec.description)
        password_hash = setup_code = None
        if spec.console_access:
            if spec.set_by_user and spec.password:
                raise invalid("With the password type Set by user, the user sets the password; give none now.")
            if not spec.set_by_user:
                if not spec.password:
                    raise invalid("Enter a password (password type Set now), or choose Set by user.")
                with self.ctx.store.read() as session:
                    policy = security_policy(session, self.ctx.account_id)
                password_hash = hash_secret(check_password(spec.password, name, policy))
            else:
                setup_code = new_token()
        elif spec.password or spec.set_by_user:
            raise invalid("A user with programmatic access only has no console password.")
        now = self.ctx.clock.now()
        with self.ctx.store.write() as session:
            taken = session.exec(select(IamUser).where(IamUser.account_id == self.ctx.account_id,
                                                       IamUser.name == name)).first()
            if taken is not None:
                raise invalid(f"The username {name!r} is already in use in this account.")
            groups = [self._group(session, ref) for ref in dict.fromkeys(spec.groups)]
            user = IamUser(id=self.ctx.ids.uuid().replace("-", ""), account_id=self.ctx.account_id, name=name,
                           email=email, phone=phone, description=description, console_access=spec.console_access,
                           programmatic_access=spec.programmatic_access, password_hash=password_hash,
                           password_setup_hash=token_digest(setup_code) if setup_code else None, created_at=now)
            session.add(user)
            session.flush()
            for group in groups:
                session.add(IamMembership(group_id=group.id, user_id=user.id))
            credential = issue_access_key(session, KeyManagement(self.ctx.layout.home), self.ctx.account_id,
                                          user.id, now) if spec.programmatic_access else None
            password_setup = PasswordSetup(
                email=email,
                code=setup_code,
                note="IAM would email this one-time link to the user: they set their password with "
                     f"`cbr-tui iam user set-password {name}` (it asks for the code), or at the console's login.",
            ) if setup_code else None
            return UserCreated(user=user_shape(user, sorted(g.name for g in groups)), credential=credential,
                               password_setup=password_setup)

    def list_users(self) -> UserPage:
        self._manage()
        with self.ctx.store.read() as session:
            users = session.exec(select(IamUser).where(IamUser.account_id == self.ctx.account_id)
                                 .order_by(IamUser.name)).all()
            return UserPage(users=[user_shape(u, self._groups_of(session, u.id)) for u in users], count=len(users))

    def show_user(self, ref: str) -> UserDetail:
        self._manage()
        with self.ctx.store.read() as session:
            user = self._user(session, ref)
            principal = principal_of(session, user)
            return UserDetail(user=user_shape(user, self._groups_of(session, user.id)),
                              permissions=_permissions(principal, self._projects(session)))

    def delete_user(self, ref: str) -> IamDeleted:
        """Delete a user with their memberships, sessions, SSH keys and access keys; what they did stays."""
        self._manage()
        with self.ctx.store.write() as session:
            user = self._user(session, ref)
            if user.id == self.ctx.principal.user_id:
                raise invalid("You cannot delete the user you are logged in as.")
            for model in (IamMembership, IamSession, IamSshKey, AccessKey):
                for row in session.exec(select(model).where(model.user_id == user.id)).all():
                    session.delete(row)
            session.flush()
            session.delete(user)
            return IamDeleted(deleted=NamedRef(id=user.id, name=user.name))

    # --- groups and grants --------------------------------------------------------------------------

    def create_group(self, name: str, description: str | None = None) -> GroupAnswer:
        self._manage()
        name = check_group_name(name)
        description = check_user_description(description)
        with self.ctx.store.write() as session:
            ensure_admin_group(session, self.ctx.account_id, self.ctx.clock.now())
            session.flush()
            taken = session.exec(select(IamGroup).where(IamGroup.account_id == self.ctx.account_id,
                                                        IamGroup.name == name)).first()
            if taken is not None:
                raise invalid(f"A user group named {name!r} already exists.")
            group = IamGroup(id=self.ctx.ids.uuid().replace("-", ""), account_id=self.ctx.account_id, name=name,
                             description=description, created_at=self.ctx.clock.now())
            session.add(group)
            return GroupAnswer(group=group_shape(group, 0, [], {}))

    def list_groups(self) -> GroupPage:
        self._manage()
        with self.ctx.store.write() as session:
            ensure_admin_group(session, self.ctx.account_id, self.ctx.clock.now())
            session.flush()
            groups = session.exec(select(IamGroup).where(IamGroup.account_id == self.ctx.account_id)
                                  .order_by(IamGroup.name)).all()
            projects = self._projects(session)
            shapes = []
            for group in groups:
                members = len(session.exec(select(IamMembership).where(IamMembership.group_id == group.id)).all())
                grants = session.exec(select(IamGrant).where(IamGrant.group_id == group.id)
                                      .order_by(IamGrant.policy, IamGrant.scope)).all()
                shapes.append(group_shape(group, members, list(grants), projects))
            return GroupPage(groups=shapes, count=len(shapes))

    def delete_group(self, ref: str) -> IamDeleted:
        self._manage()
        with self.ctx.store.write() as session:
            group = self._group(session, ref)
            if group.name == ADMIN_GROUP:
                raise invalid("The admin group cannot be deleted.")
            for model in (IamMembership, IamGrant):
                for row in session.exec(select(model).where(model.group_id == group.id)).all():
                    session.delete(row)
            session.flush()
            session.delete(group)
            return IamDeleted(deleted=NamedRef(id=group.id, name=group.name))

    def add_to_group(self, user_ref: str, group_ref: str) -> UserAnswer:
        self._manage()
        with self.ctx.store.write() as session:
            user, group = self._user(session, user_ref), self._group(session, group_ref)
            session.flush()
            if session.get(IamMembership, (group.id, user.id)) is None:
                session.add(IamMembership(group_id=group.id, user_id=user.id))
            session.flush()
            return UserAnswer(user=user_shape(user, self._groups_of(session, user.id)))

    def remove_from_group(self, user_ref: str, group_ref: str) -> UserAnswer:
        self._manage()
        with self.ctx.store.write() as session:
            user, group = self._user(session, user_ref), self._group(session, group_ref)
            membership = session.get(IamMembership, (group.id, user.id))
            if membership is None:
                raise invalid(f"{user.name} is not in the user group {group.name}.")
            session.delete(membership)
            session.flush()
            return UserAnswer(user=user_shape(user, self._groups_of(session, user.id)))

    def grant(self, group_ref: str, policy: str, enterprise_project: str | None = None) -> GroupAnswer:
        """Grant a CBR system policy to a group on all resources, or in one enterprise project."""
        self._manage()
        policy_name = _policy_name(policy)
        with self.ctx.store.write() as session:
            group = self._group(session, group_ref)
            if group.name == ADMIN_GROUP:
                raise invalid("The admin group already has every permission.")
            scope = self._scope(session, enterprise_project)
            if session.get(IamGrant, (group.id, policy_name, scope)) is None:
                session.add(IamGrant(group_id=group.id, policy=policy_name, scope=scope,
                                     created_at=self.ctx.clock.now()))
            session.flush()
            return self._group_answer(session, group)

    def revoke(self, group_ref: str, policy: str, enterprise_project: str | None = None) -> GroupAnswer:
        self._manage()
        policy_name = _policy_name(policy)
        with self.ctx.store.write() as session:
            group = self._group(session, group_ref)
            scope = self._scope(session, enterprise_project)
            row = session.get(IamGrant, (group.id, policy_name, scope))
            if row is None:
                raise invalid(f"The group {group.name} has no grant of {policy_name} there.")
            session.delete(row)
            session.flush()
            return self._group_answer(session, group)

    def _scope(self, session: Session, enterprise_project: str | None) -> str:
        if enterprise_project is None:
            return ""
        if enterprise_project in ("default", DEFAULT_ENTERPRISE_PROJECT):
            return DEFAULT_ENTERPRISE_PROJECT
        found = session.exec(select(EnterpriseProject).where(
            EnterpriseProject.account_id == self.ctx.account_id,
            (EnterpriseProject.id == enterprise_project) | (EnterpriseProject.name == enterprise_project))).first()
        if found is None:
            raise invalid(f"The enterprise project {enterprise_project!r} does not exist; the default one is "
                          "'default'.")
        return found.id

    def _group_answer(self, session: Session, group: IamGroup) -> GroupAnswer:
        members = len(session.exec(select(IamMembership).where(IamMembership.group_id == group.id)).all())
        grants = session.exec(select(IamGrant).where(IamGrant.group_id == group.id)
                              .order_by(IamGrant.policy, IamGrant.scope)).all()
        return GroupAnswer(group=group_shape(group, members, list(grants), self._projects(session)))

    @staticmethod
    def policies() -> SystemPolicyList:
        """The system policies that can be granted, as IAM lists them."""
        return SystemPolicyList(roles=[
            SystemPolicyView(display_name=p.name, description=p.description, type="XA", policy=PolicyDocument(
                Version="1.1",
                Statement=[PolicyStatement(Effect="Allow", Action=list(p.allow))]
                + ([PolicyStatement(Effect="Deny", Action=list(p.deny))] if p.deny else [])))
            for p in SYSTEM_POLICIES.values()])

    # --- SSH keys -----------------------------------------------------------------------------------

    def _self_or_manage(self, user: IamUser) -> None:
        if user.id != self.ctx.principal.user_id:
            self._manage()

    def add_ssh_key(self, user_ref: str, public_key: str) -> SshKeyAnswer:
        """Register a public key the user logs in with over `cbr-tui serve ssh` (their own, or an admin's)."""
        kind, fingerprint, comment = ssh_key_fingerprint(public_key)
        with self.ctx.store.write() as session:
            user = self._user(session, user_ref)
            self._self_or_manage(user)
            keys = session.exec(select(IamSshKey).where(IamSshKey.user_id == user.id)).all()
            if any(key.fingerprint == fingerprint for key in keys):
                raise invalid(f"{user.name} already has the key {fingerprint}.")
            if len(keys) >= SSH_KEYS_PER_USER:
                raise invalid(f"A user can have at most {SSH_KEYS_PER_USER} SSH keys; remove one first.")
            row = IamSshKey(id=self.ctx.ids.uuid(), user_id=user.id, fingerprint=fingerprint,
                            public_key=" ".join(public_key.split()[:2]), comment=comment,
                            created_at=self.ctx.clock.now())
            session.add(row)
            return SshKeyAnswer(ssh_key=AddedSshKey(id=row.id, user=user.name, type=kind, fingerprint=fingerprint,
                                                    comment=comment, create_time=api_time(row.created_at)))

    def ssh_keys(self, user_ref: str) -> SshKeyList:
        with self.ctx.store.read() as session:
            user = self._user(session, user_ref)
            self._self_or_manage(user)
            rows = session.exec(select(IamSshKey).where(IamSshKey.user_id == user.id)
                                .order_by(col(IamSshKey.created_at))).all()
            return SshKeyList(ssh_keys=[SshKeyView(id=r.id, type=r.public_key.split()[0], fingerprint=r.fingerprint,
                                                   comment=r.comment, create_time=api_time(r.created_at))
                                        for r in rows])

    def remove_ssh_key(self, user_ref: str, fingerprint: str) -> SshKeyRemoved:
        with self.ctx.store.write() as session:
            user = self._user(session, user_ref)
            self._self_or_manage(user)
            row = session.exec(select(IamSshKey).where(IamSshKey.user_id == user.id,
                                                       (IamSshKey.fingerprint == fingerprint)
                                                       | (IamSshKey.id == fingerprint))).first()
            if row is None:
                raise invalid(f"{user.name} has no SSH key {fingerprint!r}.")
            session.delete(row)
            return SshKeyRemoved(removed=Fingerprint(fingerprint=row.fingerprint))

    # --- security settings ------------------------------------------------------------------------------

    def security(self) -> SecuritySettingsView:
        """The password policy and the login authentication policy (anyone may read them, as in IAM)."""
        with self.ctx.store.read() as session:
            return security_shape(security_policy(session, self.ctx.account_id))

    def update_security(self, **changes: int | None) -> SecuritySettingsView:
        """Change the settings within IAM's ranges; later passwords and logins follow them."""
        self._manage()
        with self.ctx.store.write() as session:
            policy = check_security_policy(security_policy(session, self.ctx.account_id), changes)
            row = session.get(IamSecurity, self.ctx.account_id) or IamSecurity(
                account_id=self.ctx.account_id, **{name: getattr(policy, name) for name in SECURITY_RANGES})
            for name in SECURITY_RANGES:
                setattr(row, name, getattr(policy, name))
            session.add(row)
            return security_shape(policy)

    # --- who am I -----------------------------------------------------------------------------------

    def whoami(self) -> WhoAmI:
        principal = self.ctx.principal
        with self.ctx.store.read() as session:
            return WhoAmI(principal=PrincipalView(user_id=principal.user_id, user_name=principal.user_name,
                                                  administrator=principal.administrator),
                          permissions=_permissions(principal, self._projects(session)))


def _policy_name(policy: str) -> str:
    for name in SYSTEM_POLICIES:
        if name.lower() == policy.strip().lower():
            return name
    raise invalid(f"{policy!r} is not a CBR system policy; choose one of: {', '.join(SYSTEM_POLICIES)}.")


def _permissions(principal: Principal, projects: dict[str, str]) -> list[Permission]:
    if principal.administrator:
        return [Permission(policy="every permission (admin)", scope="all resources", group=ADMIN_GROUP)]
    named = {DEFAULT_ENTERPRISE_PROJECT: "default", **projects}
    return [Permission(policy=g.policy, group=g.group,
                       scope=named.get(g.enterprise_project_id, g.enterprise_project_id) if g.enterprise_project_id
                       else "all resources") for g in principal.grants]
