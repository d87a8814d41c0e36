"""What every service needs: the store, the clock, identifiers, where bytes live, and whose project it is."""

from dataclasses import dataclass, replace

from cbr_tui.cloud.layout import CloudLayout
from cbr_tui.domain.clock import Clock
from cbr_tui.domain.ids import IdSource
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

    def for_project(self, region_id: str, project_id: str) -> "ServiceContext":
        return replace(self, region_id=region_id, project_id=project_id)
