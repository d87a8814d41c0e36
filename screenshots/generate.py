"""Regenerate the screenshots of the README from the deterministic demo (fixed clock, seeded IDs).

    python screenshots/generate.py

Builds a demo data directory in a temporary place, drives the console headlessly at 140x42 (and a few
screens on a small 80x24 terminal), saves an SVG of each and converts it to PNG with cairosvg (DejaVu Sans
Mono, which is installed, in place of the SVG's Fira Code, so columns stay aligned).
"""

import asyncio
import re
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cbr_tui.domain.clock import FixedClock  # noqa: E402
from cbr_tui.domain.enums import ObjectType  # noqa: E402
from cbr_tui.domain.ids import SeededIds  # noqa: E402
from cbr_tui.services.associations import ResourceSelection  # noqa: E402
from cbr_tui.services.cloud_time import SharedClock  # noqa: E402
from cbr_tui.services.console import Console, open_console  # noqa: E402
from cbr_tui.services.iam import UserSpec  # noqa: E402
from cbr_tui.services.settings import Settings  # noqa: E402
from cbr_tui.services.vaults import VaultSpec  # noqa: E402
from cbr_tui.store import open_store  # noqa: E402
from cbr_tui.ui.app import CbrApp  # noqa: E402
from tests.ui.gate import Gate  # noqa: E402

WIDE = (140, 42)
SMALL = (80, 24)
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

Step = Callable[[object], Awaitable[None]]


def demo(home: Path) -> Console:
    """The demo on the installation's demo clock, whose real time stands still: a week of cloud time is
    jumped through (policy runs, hourly charges), so the Billing page and the header have something to show."""
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'cbr.db'}", demo_scale=0.25)
    store = open_store(settings.database_url)
    console = open_console(settings, clock=SharedClock(store, real=FixedClock(T0)), store=store,
                           ids=SeededIds("screenshots"))
    vaults = console.vaults
    vaults.create(VaultSpec(ObjectType.SERVER, 300, name="vault-web", tags=[("env", "prod")],
                            resources=(ResourceSelection("ecs-web-01"), ResourceSelection("ecs-web-02"))))
    vaults.create(VaultSpec(ObjectType.SERVER, 1000, name="vault-db", app_consistent=True, multi_az=True,
                            resources=(ResourceSelection("ecs-db-01"),), policy="policy-daily-2200"))
    vaults.create(VaultSpec(ObjectType.SERVER, 500, name="vault-replicas", protect_type="replication"))
    console.backups.perform("vault-web", name="nightly")
    console.run_tasks()
    vaults.create(VaultSpec(ObjectType.VMWARE, 1024, name="vault-hybrid"))
    for name in ("lun-finance-01", "vm-erp-01"):
        console.hybrid.back_up(name, name=f"{name.split('-')[0]}-local")
    console.run_tasks()
    console.hybrid.sync("vault-hybrid")
    console.run_tasks()
    console.advance_clock(timedelta(days=6))
    console.resources.write_data("ecs-db-01", 96, seed="screenshots")
    console.backups.perform("vault-db", name="before-upgrade")
    iam = console.iam
    iam.create_user(UserSpec(name="cbr_admin", email="cbr_admin@example.com", description="CBR administrator",
                             password="Cbr-admin-2026", groups=("admin",)))
    iam.create_group("readers", "Auditors")
    iam.grant("readers", "CBR ReadOnlyAccess")
    iam.create_group("prod-team")
    iam.grant("prod-team", "CBR FullAccess", "production")
    iam.create_user(UserSpec(name="cbr_reader", email="reader@example.com", set_by_user=True, groups=("readers",)))
    return console


def hold_backup_midway(console: Console) -> tuple[Gate, threading.Thread]:
    """Start the waiting backup and hold it at about 40%, so the screens show real, partial progress."""
    runner = console.runner(workers=1)
    gate = Gate(hold_after=48 * 2**20)
    runner.throttle = gate  # type: ignore[assignment]
    worker = threading.Thread(target=runner.run_until_idle, daemon=True)
    worker.start()
    if not gate.reached.wait(120):
        raise SystemExit("the backup never reached the point to hold it at")
    for _ in range(200):  # the heartbeat writes the held position within a few seconds
        task = console.tasks.list(status="running").operation_logs[0]
        if task.extra_info.common.bytes_done >= gate.passed:
            break
        time.sleep(0.05)
    return gate, worker


async def shoot(console: Console, name: str, size: tuple[int, int], steps: list[Step]) -> Path:
    app = CbrApp(console, run_tasks=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for step in steps:
            await step(pilot)
            await pilot.pause()
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(HERE)))
    return path


def to_png(svg: Path, size: tuple[int, int]) -> Path:
    import cairosvg

    text = re.sub(r"font-family:\s*Fira Code,\s*monospace", "font-family: DejaVu Sans Mono", svg.read_text())
    png = svg.with_suffix(".png")
    cairosvg.svg2png(bytestring=text.encode(), write_to=str(png), output_width=10 * size[0])
    return png


def press(*keys: str) -> Step:
    async def step(pilot):  # type: ignore[no-untyped-def]
        await pilot.press(*keys)
    return step


SCREENS: dict[str, tuple[tuple[int, int], list[Step]]] = {
    "vault-list": (WIDE, []),
    "vault-details": (WIDE, [press("j", "j", "enter")]),
    "purchase-wizard": (WIDE, [press("n"), press("pagedown", "pagedown", "pagedown", "pagedown")]),
    "confirm-and-pay": (WIDE, [press("n"), press(*["pagedown"] * 12), press("enter")]),
    "backup-in-progress": (WIDE, [press("2")]),
    "restore-server": (WIDE, [press("2"), press("r")]),
    "resources": (WIDE, [press("ctrl+n", "end", "up", "up", "up", "enter")]),
    "iam": (WIDE, [press("ctrl+n", "end", "up", "enter")]),
    "billing": (WIDE, [press("ctrl+n", "end", "enter"), press("2")]),
    "hybrid": (WIDE, [press("ctrl+n", "home", "down", "down", "down", "enter"), press("3")]),
    "demo-clock": (WIDE, [press("ctrl+k")]),
    "small-vault-list": (SMALL, []),
    "small-perform-backup": (SMALL, [press("b")]),
    "small-purchase-wizard": (SMALL, [press("n"), press("pagedown")]),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        console = demo(Path(scratch))
        gate, worker = hold_backup_midway(console)
        for name, (size, steps) in SCREENS.items():
            png = to_png(asyncio.run(shoot(console, name, size, steps)), size)
            print(png.relative_to(HERE.parent))
        gate.release.set()
        worker.join()
        console.close()


if __name__ == "__main__":
    main()
