"""Where cbr-tui keeps its data and which database it uses, from the environment; nothing touches disk here."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from cbr_tui.cloud.regions import DEFAULT_REGION
from cbr_tui.domain.errors import invalid

if TYPE_CHECKING:
    from cbr_tui.engine.s3 import S3Location

APP_NAME = "cbr-tui"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    region: str = DEFAULT_REGION
    demo_scale: float = 1.0
    bandwidth_mbps: float | None = None
    confined: bool = False  # a console served to others (CBR_TUI_CONFINED=1): see ServiceContext.confined
    # Which account of the installation (CBR_TUI_ACCOUNT; see `account register`); None: the first one.
    account: str | None = None
    # The S3 locations of availability zones' vault data (CBR_TUI_OBJECT_STORE); empty: the data directory.
    object_zones: Mapping[str, S3Location] = field(default_factory=dict)
    # The simulated cloud (its servers' disks, file systems, hosts and KMS keys), and on SQLite the bucket
    # vaults' locks (CBR_TUI_CLOUD_HOME): a directory every worker of an installation mounts; None: `home`.
    shared_cloud: Path | None = None

    @property
    def cloud_home(self) -> Path:
        return self.shared_cloud or self.home

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, home: Path | None = None,
                 database_url: str | None = None, region: str | None = None,
                 account: str | None = None) -> Settings:
        """Arguments first, then `CBR_TUI_HOME` (data directory), `CBR_TUI_DATABASE_URL` (any SQLAlchemy URL),
        `CBR_TUI_REGION`, `CBR_TUI_DEMO_SCALE` (how much data the demo inventory writes: 1 is tens of MB per
        disk, 0 none), `CBR_TUI_BANDWIDTH_MBPS` (a simulated bandwidth limit for demos, off when unset),
        `CBR_TUI_OBJECT_STORE` (S3 buckets for vault data, see `engine/placement.py`), `CBR_TUI_CLOUD_HOME`
        (the simulated cloud, shared by workers on several machines). The database defaults to SQLite inside
        the data directory."""
        env = os.environ if environ is None else environ
        home = Path(home or env.get("CBR_TUI_HOME") or user_data_dir(APP_NAME, appauthor=False)).expanduser()
        url = database_url or env.get("CBR_TUI_DATABASE_URL") or f"sqlite:///{home / 'cbr.db'}"
        scale = _number(env, "CBR_TUI_DEMO_SCALE", "1") or 0.0
        bandwidth = _number(env, "CBR_TUI_BANDWIDTH_MBPS", "")
        return cls(home=home, database_url=url, region=region or env.get("CBR_TUI_REGION") or DEFAULT_REGION,
                   demo_scale=max(scale, 0.0), bandwidth_mbps=bandwidth if bandwidth and bandwidth > 0 else None,
                   confined=env.get("CBR_TUI_CONFINED") == "1",
                   account=account or env.get("CBR_TUI_ACCOUNT") or None,
                   object_zones=_object_zones(env.get("CBR_TUI_OBJECT_STORE", "")),
                   shared_cloud=Path(env["CBR_TUI_CLOUD_HOME"]).expanduser() if env.get("CBR_TUI_CLOUD_HOME") else None)


def _object_zones(text: str) -> dict[str, S3Location]:
    if not text.strip():
        return {}
    from cbr_tui.engine.placement import PlacementError, parse_zones  # the engine loads only when configured

    try:
        return parse_zones(text)
    except PlacementError as error:
        raise invalid(str(error)) from None


def _number(env: Mapping[str, str], name: str, default: str) -> float | None:
    text = env.get(name, default)
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise invalid(f"{name} must be a number such as 1 or 0.5, not {text!r}.") from None
