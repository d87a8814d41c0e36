"""The deterministic demo inventory: what a new data directory holds in each region on first start.

Plain data: `cbr_tui.services.bootstrap` builds it through the same operations a person uses, with IDs
derived from these names, so every machine gets the same IDs, names and bytes. `fill_mb` is the data
written at scale 1 (the `CBR_TUI_DEMO_SCALE` setting multiplies it).
"""

from dataclasses import dataclass, field

DEMO_VERSION = 1
DEMO_ACCOUNT = "cbr-demo"
DEMO_USER = "cbr_admin"
DEMO_BALANCE_CENTS = 5_000_00
DEMO_ENTERPRISE_PROJECTS = ("production", "development")


@dataclass(frozen=True)
class DemoServer:
    name: str
    status: str = "ACTIVE"
    az: int = 1
    system_gb: int = 40
    data_gb: tuple[int, ...] = ()
    encrypted_data: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    fill_mb: int = 12
    detach_system_disk: bool = False


@dataclass(frozen=True)
class DemoDisk:
    name: str
    size_gb: int
    status: str = "available"
    az: int = 1
    encrypted: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    fill_mb: int = 0


@dataclass(frozen=True)
class DemoTurbo:
    name: str
    size_gb: int = 500
    status: str = "available"
    files: int = 0
    fill_mb: int = 0


@dataclass(frozen=True)
class DemoDesktop:
    name: str
    status: str = "in-use"
    tags: dict[str, str] = field(default_factory=dict)
    fill_mb: int = 0


@dataclass(frozen=True)
class DemoAgent:
    host_name: str
    status: str = "normal"
    host_os: str = "CentOS 7.9 64bit"
    host_ip: str = "192.168.0.10"
    files: int = 0
    fill_mb: int = 0


@dataclass(frozen=True)
class DemoLegacyVault:
    """A server vault from before AZ2 of CN North-Beijing1 closed to new associations."""

    name: str
    size_gb: int
    az: int
    servers: tuple[str, ...]


@dataclass(frozen=True)
class DemoPolicy:
    name: str
    times: tuple[str, ...]
    days: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    max_backups: int = 7


@dataclass(frozen=True)
class DemoRegion:
    servers: tuple[DemoServer, ...] = ()
    disks: tuple[DemoDisk, ...] = ()
    turbos: tuple[DemoTurbo, ...] = ()
    desktops: tuple[DemoDesktop, ...] = ()
    agents: tuple[DemoAgent, ...] = ()
    legacy_vaults: tuple[DemoLegacyVault, ...] = ()
    policies: tuple[DemoPolicy, ...] = ()


_PROD_WEB = {"env": "prod", "app": "web"}

DEMO_INVENTORY: dict[str, DemoRegion] = {
    "cn-north-4": DemoRegion(
        servers=(
            DemoServer("ecs-web-01", data_gb=(100,), tags=_PROD_WEB, fill_mb=16),
            DemoServer("ecs-web-02", az=2, data_gb=(100,), tags=_PROD_WEB, fill_mb=16),
            DemoServer("ecs-db-01", data_gb=(200, 200), encrypted_data=True,
                       tags={"env": "prod", "app": "mysql"}, fill_mb=24),
            DemoServer("ecs-batch-01", status="SHUTOFF", az=3, tags={"env": "dev"}, fill_mb=8),
            DemoServer("ecs-test-01", status="ERROR", tags={"env": "test"}, fill_mb=4),
            DemoServer("ecs-spare-01", status="SHUTOFF", tags={"env": "dev"}, fill_mb=4, detach_system_disk=True),
        ),
        disks=(
            DemoDisk("evs-data-01", 50, fill_mb=12),
            DemoDisk("evs-data-02", 100, az=2, tags={"env": "prod"}, fill_mb=8),
            DemoDisk("evs-secure-01", 20, encrypted=True, fill_mb=6),
            DemoDisk("evs-broken-01", 10, status="error"),
        ),
        turbos=(
            DemoTurbo("sfs-turbo-share", files=240, fill_mb=16),
            DemoTurbo("sfs-turbo-new", status="creating"),
        ),
        desktops=(
            DemoDesktop("desktop-alice", tags={"team": "finance"}, fill_mb=12),
            DemoDesktop("desktop-bob", status="available", tags={"team": "sales"}, fill_mb=6),
            DemoDesktop("desktop-carol", status="error"),
        ),
        agents=(
            DemoAgent("host-files-01", files=300, fill_mb=12),
            DemoAgent("host-files-02", status="offline", host_ip="192.168.0.11", files=40, fill_mb=2),
        ),
        policies=(DemoPolicy("policy-daily-2200", ("22:00",)),),
    ),
    "cn-north-1": DemoRegion(
        servers=(
            DemoServer("ecs-legacy-01", az=2, data_gb=(50,), fill_mb=6),
            DemoServer("ecs-bj1-01", tags={"env": "prod"}, fill_mb=4),
            DemoServer("ecs-bj1-az2-02", az=2, fill_mb=4),
        ),
        legacy_vaults=(DemoLegacyVault("vault-legacy-az2", 200, az=2, servers=("ecs-legacy-01",)),),
    ),
    "cn-east-3": DemoRegion(
        servers=(DemoServer("ecs-sh-01", data_gb=(100,), fill_mb=6),),
        disks=(DemoDisk("evs-sh-01", 100, fill_mb=4),),
    ),
    "ap-southeast-3": DemoRegion(
        servers=(DemoServer("ecs-sg-01", fill_mb=4),),
        disks=(DemoDisk("evs-sg-01", 40),),
    ),
}
