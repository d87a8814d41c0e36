"""Sizes the console adds up: a resource's size in a vault, and a vault's associated capacity."""

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from cbr_tui.domain.enums import ResourceKind
from cbr_tui.store.models import Resource, VaultResource

_DISKED = (ResourceKind.SERVER, ResourceKind.DESKTOP)


def disks_by_parent(session: Session, parent_ids: Iterable[str]) -> dict[str, list[Resource]]:
    ids = list(set(parent_ids))
    grouped: dict[str, list[Resource]] = defaultdict(list)
    if not ids:
        return grouped
    query = select(Resource).where(col(Resource.parent_id).in_(ids)).order_by(col(Resource.device), Resource.id)
    for disk in session.exec(query).all():
        assert disk.parent_id is not None
        grouped[disk.parent_id].append(disk)
    return grouped


def included_disks(disks: Iterable[Resource], exclude: Iterable[str]) -> list[Resource]:
    """The disks a server backup takes: all attached disks except the excluded ones (new disks included)."""
    excluded = set(exclude)
    return [d for d in disks if d.id not in excluded]


def resource_size(resource: Resource, disks: list[Resource], exclude: Iterable[str] = ()) -> int:
    """GB a resource brings to a vault: a server or desktop counts its included disks."""
    if resource.kind in _DISKED:
        return sum(d.size_gb for d in included_disks(disks, exclude))
    return resource.size_gb


def allocated_gb(session: Session, vault_id: str) -> int:
    """The vault's associated capacity: the sum of its resources' sizes."""
    rows = session.exec(
        select(VaultResource, Resource)
        .join(Resource, col(Resource.id) == VaultResource.resource_id)
        .where(VaultResource.vault_id == vault_id)
    ).all()
    disks = disks_by_parent(session, (r.id for _m, r in rows if r.kind in _DISKED))
    return sum(resource_size(r, disks.get(r.id, []), m.exclude_volumes) for m, r in rows)
