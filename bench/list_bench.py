"""Large lists in the console: 10,000 vaults and 100,000 backups in the store, page changes measured headless.

    python bench/list_bench.py             # 10,000 vaults, 100,000 backups (about a minute to build)
    python bench/list_bench.py --quick     # a tenth of that

For the vault list and the backups list it times, in a headless console (Textual's Pilot, 140x42): opening the
page, and page changes at the first, middle and last pages (the pager's "next" and a jump). The baseline, run in
the same process on the same database, is the bare SQL of one page (sqlite3: the filtered, ordered
LIMIT/OFFSET query a hand-written list would run). Each step is timed from the action until the console has
made its last frame for it (what a person waits for), not until Pilot finds the console idle (which adds a
quiet period of its own). Target: under 100 ms per page change.
"""

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlmodel import select
from textual.widgets import TabbedContent

from cbr_tui.domain.enums import ObjectType
from cbr_tui.domain.vault_types import VAULT_TYPES
from cbr_tui.services.console import Console, open_console
from cbr_tui.services.settings import Settings
from cbr_tui.services.vaults import ResourceSelection, VaultSpec
from cbr_tui.store.models import Backup, Vault
from cbr_tui.ui.app import CbrApp
from cbr_tui.ui.screens.base import ListPage
from cbr_tui.ui.screens.main import MainScreen
from cbr_tui.ui.widgets.pager import Pager
from cbr_tui.ui.widgets.table import ConsoleTable

SIZE = (140, 42)
REPEATS = 7


def build(console: Console, vaults: int, backups: int) -> None:
    """One real vault and backup through the services, then cloned in bulk (rows only: lists read rows)."""
    console.vaults.create(VaultSpec(object_type=ObjectType.SERVER, size_gb=500,
                                    resources=(ResourceSelection("ecs-web-01"),), name="vault-template"))
    console.backups.perform("vault-template", name="template")
    console.run_tasks()
    with console.ctx.store.write() as session:
        vault = session.exec(select(Vault).where(Vault.name == "vault-template")).one()
        backup = session.exec(select(Backup).where(Backup.vault_id == vault.id,
                                                   Backup.parent_id == None)).one()  # noqa: E711
        vault_row, backup_row = vault.model_dump(), backup.model_dump()
        start = vault.created_at
        vault_ids = [str(uuid.uuid4()) for _ in range(vaults)]
        session.execute(insert(Vault), [vault_row | {"id": vid, "name": f"vault-{i:05d}",
                                                     "created_at": start + timedelta(seconds=i)}
                                        for i, vid in enumerate(vault_ids)])
        for first in range(0, backups, 10_000):
            session.execute(insert(Backup), [
                backup_row | {"id": str(uuid.uuid4()), "checkpoint_id": str(uuid.uuid4()),
                              "vault_id": vault_ids[i % vaults], "name": f"manualbk_{i:06d}",
                              "created_at": start + timedelta(seconds=i)}
                for i in range(first, min(first + 10_000, backups))])


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def sql_page(db: Path, query: str, params: tuple[Any, ...]) -> float:
    """The baseline: one page of the list as bare SQL, median of REPEATS."""
    connection = sqlite3.connect(db)
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        connection.execute(query, params).fetchall()
        samples.append(time.perf_counter() - began)
    connection.close()
    return median_ms(samples)


class TimedConsole(CbrApp):
    """The console, noting when it last composed a frame for the terminal (headless, it writes nothing)."""

    last_frame = 0.0

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            self.last_frame = time.perf_counter()
        super()._display(screen, renderable)


async def measure_list(label: str, pager: Pager, settle: Callable[[], Awaitable[float]],
                       reopen: Callable[[], Awaitable[float]]) -> list[tuple[str, float]]:
    """Open the list's page, then turn its pages: next from the first pages, next from the middle, and
    back and forth at the end. Each step is timed from the key's action until the console's last frame for
    it (found once the console is idle again)."""

    async def turn(step: int) -> float:
        began = time.perf_counter()
        pager.turn(step)
        return await settle() - began

    last = (pager.total - 1) // pager.page_size
    middle = last // 2
    opened = [await reopen() for _ in range(REPEATS)]
    first = [await turn(1) for _ in range(REPEATS)]
    await turn(middle - pager.page)
    centre = [await turn(1) for _ in range(REPEATS)]
    listing = pager.parent
    assert isinstance(listing, ListPage)
    reload = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        listing.refresh_data()  # the services' query and the table's rows, without drawing the screen
        reload.append(time.perf_counter() - began)
    await settle()
    await turn(last - pager.page)
    end = [await turn(-1 if index % 2 == 0 else 1) for index in range(REPEATS)]
    return [(f"{label}: open the page", median_ms(opened)), (f"{label}: next page (first pages)", median_ms(first)),
            (f"{label}: next page (middle)", median_ms(centre)), (f"{label}: pages at the end", median_ms(end)),
            (f"{label}: of which data (middle page)", median_ms(reload))]


async def measure_ui(console: Console, total_vaults: int, total_backups: int) -> list[tuple[str, float]]:
    app = TimedConsole(console, run_tasks=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        page = screen.query_one("#page-server")

        async def settle() -> float:
            """Wait until the console is idle (Textual's Pilot: a quiet 20 ms), then say when its last
            frame was made: the idle wait itself is not the console's time."""
            await pilot.pause()
            return app.last_frame

        async def reopen() -> float:
            screen.go_to("page-tasks")
            await settle()
            began = time.perf_counter()
            screen.go_to("page-server")
            return await settle() - began

        vault_pager = page.query_one("#vault-pager", Pager)
        assert vault_pager.total == total_vaults + 1
        rows = await measure_list("vault list", vault_pager, settle, reopen)
        page.query_one("#tabs", TabbedContent).active = "tab-backups"
        await settle()
        backup_pager = page.query_one("#backup-pager", Pager)
        assert backup_pager.total == total_backups + 1
        rows += await measure_list("backups list", backup_pager, settle, reopen)
        assert page.query_one("#backup-table", ConsoleTable).row_count >= 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows")
    args = parser.parse_args()
    vaults, backups = (1_000, 10_000) if args.quick else (10_000, 100_000)
    with tempfile.TemporaryDirectory(prefix="cbr-list-bench-") as home:
        db = Path(home) / "cbr.db"
        console = open_console(Settings(home=Path(home), database_url=f"sqlite:///{db}", demo_scale=0))
        began = time.perf_counter()
        build(console, vaults, backups)
        print(f"built {vaults:,} vaults and {backups:,} backups in {time.perf_counter() - began:.1f} s")
        project = console.ctx.project_id
        vault_sql = ("SELECT * FROM vault WHERE project_id = ? AND object_type = 'server' "
                     "ORDER BY created_at DESC, id DESC LIMIT 10 OFFSET ?")
        backup_sql = ("SELECT * FROM backup WHERE project_id = ? AND provider_id = ? AND parent_id IS NULL "
                      "ORDER BY created_at DESC, id DESC LIMIT 10 OFFSET ?")
        baselines = {
            "vault list": [sql_page(db, vault_sql, (project, offset)) for offset in (0, vaults // 2, vaults - 9)],
            "backups list": [sql_page(db, backup_sql, (project, VAULT_TYPES[ObjectType.SERVER].provider_id, offset))
                             for offset in (0, backups // 2, backups - 9)],
        }
        rows = asyncio.run(measure_ui(console, vaults, backups))
        console.close()
    print(f"\n{'step (headless console, 140x42, 10 per page)':<48} {'console':>9} {'bare SQL':>9} {'ratio':>7}")
    for name, console_ms in rows:
        kind = name.split(":")[0]
        first, middle, last = baselines[kind]
        baseline = last if "end" in name else middle if "middle" in name else first
        verdict = "" if "of which" in name else "ok" if console_ms < 100 else "OVER 100 ms"
        print(f"{name:<48} {console_ms:7.1f}ms {baseline:7.2f}ms {console_ms / baseline:6.0f}x  {verdict}")


if __name__ == "__main__":
    main()
