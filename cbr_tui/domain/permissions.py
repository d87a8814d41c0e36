"""Who may do what: CBR's actions, IAM's system policies for CBR, and the principal every service call carries.

A principal is the account itself (its administrator), a member of the `admin` user group (every permission,
as the seed says), or an IAM user holding the policies granted to their groups. A grant applies to all
resources (made in IAM) or to one enterprise project (made in the enterprise project). Actions outside CBR
(managing IAM, topping up, the simulated cloud's own controls) belong to administrators only.

The seed's note is kept: a user granted CBR FullAccess only in IAM is not offered enterprise projects when
buying a vault (it goes to `default`) until a grant is made in an enterprise project.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase

from cbr_tui.domain.errors import CbrError, Codes

DEFAULT_ENTERPRISE_PROJECT = "0"


class Action(StrEnum):
    """CBR's actions as its API reference names them, and the administrators' own."""

    VAULT_CREATE = "cbr:vaults:create"
    VAULT_LIST = "cbr:vaults:list"
    VAULT_UPDATE = "cbr:vaults:update"
    VAULT_DELETE = "cbr:vaults:delete"
    VAULT_ADD_RESOURCES = "cbr:vaults:addResources"
    VAULT_REMOVE_RESOURCES = "cbr:vaults:removeResources"
    VAULT_BACKUP = "cbr:vaults:backup"
    VAULT_ASSOCIATE_POLICY = "cbr:vaults:associatePolicy"
    VAULT_DISSOCIATE_POLICY = "cbr:vaults:dissociatePolicy"
    BACKUP_UPDATE = "cbr:backups:update"
    BACKUP_DELETE = "cbr:backups:delete"
    BACKUP_RESTORE = "cbr:backups:restore"
    BACKUP_REPLICATE = "cbr:checkpoints:replicate"
    POLICY_CREATE = "cbr:policies:create"
    POLICY_UPDATE = "cbr:policies:update"
    POLICY_DELETE = "cbr:policies:delete"
    TASK_CANCEL = "cbr:tasks:cancel"
    AGENT_MANAGE = "cbr:agents:update"
    MANAGE_IAM = "iam:users:manage"
    MANAGE_ACCOUNT = "bss:account:manage"
    CONTROL_CLOUD = "cloud:resources:manage"


# What a refusal says the user tried, in words.
ACTION_WORDS: dict[Action, str] = {
    Action.VAULT_CREATE: "buy vaults",
    Action.VAULT_LIST: "view vaults",
    Action.VAULT_UPDATE: "modify vaults",
    Action.VAULT_DELETE: "delete vaults",
    Action.VAULT_ADD_RESOURCES: "associate resources with vaults",
    Action.VAULT_REMOVE_RESOURCES: "dissociate resources from vaults",
    Action.VAULT_BACKUP: "perform backups",
    Action.VAULT_ASSOCIATE_POLICY: "apply policies to vaults",
    Action.VAULT_DISSOCIATE_POLICY: "remove policies from vaults",
    Action.BACKUP_UPDATE: "modify backups",
    Action.BACKUP_DELETE: "delete backups",
    Action.BACKUP_RESTORE: "restore from backups",
    Action.BACKUP_REPLICATE: "replicate backups",
    Action.POLICY_CREATE: "create policies",
    Action.POLICY_UPDATE: "modify policies",
    Action.POLICY_DELETE: "delete policies",
    Action.TASK_CANCEL: "cancel tasks",
    Action.AGENT_MANAGE: "manage file-backup clients",
    Action.MANAGE_IAM: "manage IAM users, groups and permissions",
    Action.MANAGE_ACCOUNT: "manage the account's balance and enterprise projects",
    Action.CONTROL_CLOUD: "control the simulated servers, disks and file systems",
}


@dataclass(frozen=True)
class SystemPolicy:
    name: str
    description: str
    allow: tuple[str, ...]
    deny: tuple[str, ...] = ()

    def allows(self, action: Action) -> bool:
        def matches(patterns: tuple[str, ...]) -> bool:
            return any(fnmatchcase(action.value, pattern) for pattern in patterns)

        return matches(self.allow) and not matches(self.deny)


FULL_ACCESS = SystemPolicy("CBR FullAccess", "Administrator permissions for CBR: every vault, backup and policy.",
                           ("cbr:*:*",))
BACKUPS_AND_VAULTS = SystemPolicy(
    "CBR BackupsAndVaultsFullAccess",
    "Common user permissions for CBR: create, view and delete vaults and backups, but not policies.",
    ("cbr:*:*",), ("cbr:policies:create", "cbr:policies:update", "cbr:policies:delete"),
)
READ_ONLY = SystemPolicy("CBR ReadOnlyAccess", "Read-only permissions for CBR: view everything, change nothing.",
                         ("cbr:*:get*", "cbr:*:list*"))
SYSTEM_POLICIES: dict[str, SystemPolicy] = {p.name: p for p in (FULL_ACCESS, BACKUPS_AND_VAULTS, READ_ONLY)}
ADMIN_GROUP = "admin"


@dataclass(frozen=True)
class Grant:
    """A system policy granted to one of the user's groups: on all resources (None) or one enterprise project."""

    policy: str
    enterprise_project_id: str | None = None
    group: str = ""


@dataclass(frozen=True)
class Principal:
    """Who is asking: the services refuse what this principal may not do."""

    user_id: str
    user_name: str
    administrator: bool
    grants: tuple[Grant, ...] = ()
    account_id: str | None = None

    @classmethod
    def account_administrator(cls, account_id: str | None = None, user_id: str = "", user_name: str = "") -> Principal:
        return cls(user_id=user_id, user_name=user_name, administrator=True, account_id=account_id)

    def may(self, action: Action, enterprise_project_id: str | None = None) -> bool:
        """True when a grant allows the action: on all resources, or on this enterprise project; an action on
        no enterprise project (policies, tasks) is allowed by a grant anywhere."""
        if self.administrator:
            return True
        return any(
            SYSTEM_POLICIES[grant.policy].allows(action)
            and (enterprise_project_id is None or grant.enterprise_project_id in (None, enterprise_project_id))
            for grant in self.grants if grant.policy in SYSTEM_POLICIES
        )

    def require(self, action: Action, enterprise_project_id: str | None = None, *, where: str | None = None) -> None:
        """Refuse (BackupService.8600) unless the principal may do the action here."""
        if self.may(action, enterprise_project_id):
            return
        held = sorted({grant.policy for grant in self.grants})
        holding = f"the policies granted to them ({', '.join(held)}) do not allow it" if held else \
            "no policy has been granted to them"
        place = f" in the enterprise project {where}" if where else ""
        remedy = ("an administrator of the account can add them to the admin group"
                  if not action.value.startswith("cbr:") else
                  "an administrator can grant CBR FullAccess to one of their groups")
        raise CbrError(Codes.NOT_AUTHORIZED,
                       f"{self.user_name} may not {ACTION_WORDS[action]}{place} ({action.value}): {holding}; "
                       f"{remedy}.")

    @property
    def read_only(self) -> bool:
        """Whether nothing of CBR may be changed anywhere (no grant, or only read-only ones)."""
        return not self.administrator and not any(self.may(action) for action in Action
                                                  if action.value.startswith("cbr:") and action != Action.VAULT_LIST)

    def visible_enterprise_projects(self) -> frozenset[str] | None:
        """The enterprise projects whose vaults the principal sees; None for all of them."""
        if self.administrator or any(grant.enterprise_project_id is None and
                                     SYSTEM_POLICIES[grant.policy].allows(Action.VAULT_LIST)
                                     for grant in self.grants if grant.policy in SYSTEM_POLICIES):
            return None
        return frozenset(grant.enterprise_project_id for grant in self.grants
                         if grant.enterprise_project_id is not None and grant.policy in SYSTEM_POLICIES
                         and SYSTEM_POLICIES[grant.policy].allows(Action.VAULT_LIST))

    def sees(self, enterprise_project_id: str) -> bool:
        visible = self.visible_enterprise_projects()
        return visible is None or enterprise_project_id in visible

    def offered_enterprise_projects(self) -> frozenset[str] | None:
        """The enterprise projects the purchase wizard offers: all (None) to administrators, those with a grant
        that allows buying to others; an empty set means the field is not shown and the vault goes to
        `default` (the seed's note on CBR FullAccess granted only in IAM)."""
        if self.administrator:
            return None
        return frozenset(grant.enterprise_project_id for grant in self.grants
                         if grant.enterprise_project_id is not None and grant.policy in SYSTEM_POLICIES
                         and SYSTEM_POLICIES[grant.policy].allows(Action.VAULT_CREATE))


LOCAL_ADMINISTRATOR = Principal.account_administrator()
