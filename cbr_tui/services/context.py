"""What every service needs: the store, the clock, identifiers, where bytes live, and whose project it is."""

from dataclasses import dataclass, replace

from cbr_tui.cloud.layout import CloudLayout
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.ids import IdSource
from cbr_tui.domain.permissions import LOCAL_ADMINISTRATOR, Principal
from cbr_tui.store import Store


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

    def for_project(self, region_id: str, project_id: str) -> "ServiceContext":
        return replace(self, region_id=region_id, project_id=project_id)

    def as_principal(self, principal: Principal) -> "ServiceContext":
        return replace(self, principal=principal)

    def as_administrator(self) -> "ServiceContext":
        """The account's own work (the scheduler, the runner, the demo inventory), whoever opened the console."""
        return replace(self, principal=LOCAL_ADMINISTRATOR)
