"""The region and availability-zone catalogue of the simulated cloud."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AzSpec:
    id: str
    name: str
    accepts_new_associations: bool = True


@dataclass(frozen=True)
class RegionSpec:
    id: str
    name: str
    azs: tuple[AzSpec, ...]

    @property
    def default_az(self) -> AzSpec:
        return next(az for az in self.azs if az.accepts_new_associations)


def _azs(region_id: str, count: int, closed: tuple[int, ...] = ()) -> tuple[AzSpec, ...]:
    return tuple(
        AzSpec(f"{region_id}{'abcdefg'[i]}", f"AZ{i + 1}", accepts_new_associations=(i + 1) not in closed)
        for i in range(count)
    )


REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec("cn-north-4", "CN North-Beijing4", _azs("cn-north-4", 3)),
    # The seed: new resources cannot be associated with vaults in AZ2 of CN North-Beijing1.
    RegionSpec("cn-north-1", "CN North-Beijing1", _azs("cn-north-1", 2, closed=(2,))),
    RegionSpec("cn-east-3", "CN East-Shanghai1", _azs("cn-east-3", 3)),
    RegionSpec("cn-south-1", "CN South-Guangzhou", _azs("cn-south-1", 3)),
    RegionSpec("ap-southeast-1", "CN-Hong Kong", _azs("ap-southeast-1", 2)),
    RegionSpec("ap-southeast-3", "AP-Singapore", _azs("ap-southeast-3", 3)),
)

DEFAULT_REGION = "cn-north-4"


def region_spec(region_id: str) -> RegionSpec | None:
    """A region's catalogue entry, or the on-premises data center's (below)."""
    return next((r for r in (*REGIONS, ON_PREMISES) if r.id == region_id), None)

# The customer's own data center, where the hybrid cloud backups' storage systems and VMware hosts stand. It is
# kept like a region (its resources and local backups in a project of its own, apart from every cloud region),
# but it is not one: no region list, picker or replication offers it.
ON_PREMISES = RegionSpec("on-premises", "On-premises data center", (AzSpec("on-premises-1", "Machine room 1"),))
