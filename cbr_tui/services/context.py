"""What every service needs: the store, the clock, identifiers, where bytes live, and whose project it is."""

import os
from dataclasses import dataclass, replace
from pathlib import Path

from cbr_tui.cloud.layout import CloudLayout
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.errors import invalid
from cbr_tui.domain.ids import IdSource, stable_hex32
from cbr_tui.domain.permissions import LOCAL_ADMINISTRATOR, Principal
from cbr_tui.engine.objects import ObjectStore
from cbr_tui.engine.placement import PlacedVault, Placement
from cbr_tui.store import Store
from cbr_tui.store.demo import DEMO_ACCOUNT


@dataclass(frozen=True)
class ServiceContext:
    store: Store
    clock: Clock
    ids: IdSource
    layout: CloudLayout
    account_id: str
    user_id: str
    region_id: str
    project_id: str
    # Who is asking; the local console and the runner act as the account's administrator.
    principal: Principal = LOCAL_ADMINISTRATOR
    # A console served to others (SSH, the web): the real file system is off limits beyond the simulated
    # hosts, whoever is logged in (a public demo's visitor is its copy's administrator).
    confined: bool = False
    # Where vault objects live (CBR_TUI_OBJECT_STORE); None: every vault in a directory of the data directory.
    stores: Placement | None = None

    @property
    def placement(self) -> Placement:
        return self.stores or Placement(self.layout.home)

    def objects(self, vault: PlacedVault) -> ObjectStore:
        """The vault's objects: a directory here, or the bucket of the vault's availability zone."""
        return self.placement.store(vault)

    def for_project(self, region_id: str, project_id: str) -> "ServiceContext":
        return replace(self, region_id=region_id, project_id=project_id)

    def as_principal(self, principal: Principal) -> "ServiceContext":
        return replace(self, principal=principal)

    @property
    def first_account(self) -> bool:
        """The installation's own account (made at its first start); accounts registered later keep their
        simulated resources' IDs and host directories apart from it."""
        return self.account_id == stable_hex32("account", DEMO_ACCOUNT)

    def host_root(self, host_name: str) -> str:
        return self.layout.host_root(self.region_id, host_name, None if self.first_account else self.account_id)

    def check_host_path(self, path: Path, what: str) -> None:
        """A backup path or restore destination on the host's real file system: anywhere for the local
        account's administrator, else only inside this account's simulated hosts (`<data directory>/cloud`,
        or `cloud/accounts/<id>` for an account registered later)."""
        if self.principal.administrator and not self.confined and self.first_account:
            return
        cloud = self.layout.home / "cloud"
        hosts = Path(os.path.realpath(cloud if self.first_account
                                      else self.layout.home.joinpath(*self.layout.account_hosts(self.account_id))))
        others = Path(os.path.realpath(cloud / "accounts"))
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(hosts) or (self.first_account and real.is_relative_to(others)):
            who = "a console served to others" if self.confined else (self.principal.user_name or "this user")
            raise invalid(f"The {what} {path} is outside the simulated hosts ({hosts}): {who} may use only "
                          "paths inside them; the account's administrator, at the machine, may use any.")

    def as_administrator(self) -> "ServiceContext":
        """The account's own work (the scheduler, the runner, the demo inventory), whoever opened the console."""
        return replace(self, principal=LOCAL_ADMINISTRATOR)
