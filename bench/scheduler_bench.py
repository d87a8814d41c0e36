"""How long one pass of the policy scheduler takes on a large store, against the bare SQL it cannot avoid.

    python bench/scheduler_bench.py            # 10,000 vaults, 100,000 backups, 1,000 vaults with a policy
    python bench/scheduler_bench.py --quick    # a tenth of that

The console and every worker tick every 5 s on a background thread, so a tick must stay well under that
(and short enough not to be felt by the UI thread, which shares the GIL). Prints the first tick (it stamps
every applied policy once) and the median of later ticks, with the bare queries (policy links joined to
their policies, and the per-vault backup signature) timed with sqlite3 in the same run as the baseline.
"""

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_bench import build
from sqlmodel import select

from cbr_tui.domain.policy_rules import check_retention
from cbr_tui.services.console import open_console
from cbr_tui.services.policies import PolicySpec
from cbr_tui.services.scheduler import PolicyScheduler
from cbr_tui.services.settings import Settings
from cbr_tui.store.models import Vault, VaultPolicy

BARE_SQL = (
    "SELECT * FROM vault_policy JOIN policy ON policy.id = vault_policy.policy_id "
    "JOIN vault ON vault.id = vault_policy.vault_id WHERE policy.enabled",
    "SELECT vault_id, count(*), max(updated_at) FROM backup WHERE parent_id IS NULL AND vault_id IN "
    "(SELECT vault_id FROM vault_policy) GROUP BY vault_id",
    "SELECT vault_id FROM backup WHERE parent_id IS NULL AND expired_at <= '2100-01-01' "
    "AND status IN ('available', 'error')",
)


def bare_ms(db: Path) -> float:
    connection = sqlite3.connect(db)
    began = time.perf_counter()
    for query in BARE_SQL:
        connection.execute(query).fetchall()
    connection.close()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows")
    args = parser.parse_args()
    vaults, backups, with_policy = (1_000, 10_000, 100) if args.quick else (10_000, 100_000, 1_000)
    with tempfile.TemporaryDirectory(prefix="cbr-scheduler-bench-") as home:
        db = Path(home) / "cbr.db"
        console = open_console(Settings(home=Path(home), database_url=f"sqlite:///{db}", demo_scale=0))
        build(console, vaults, backups)
        policy = console.policies.create(PolicySpec(pattern=["FREQ=DAILY;INTERVAL=1;BYHOUR=03;BYMINUTE=00"],
                                                    name="bench", retention=check_retention(max_backups=5)))
        with console.ctx.store.write() as session:
            for vault in session.exec(select(Vault).limit(with_policy)).all():
                session.add(VaultPolicy(vault_id=vault.id, operation_type="backup", policy_id=policy["policy"]["id"]))
        scheduler = PolicyScheduler(console.ctx)
        began = time.perf_counter()
        scheduler.tick()
        first = (time.perf_counter() - began) * 1000
        later = []
        for _ in range(5):
            began = time.perf_counter()
            scheduler.tick()
            later.append((time.perf_counter() - began) * 1000)
        baseline = statistics.median(bare_ms(db) for _ in range(5))
        console.close()
    print(f"scheduler tick, {vaults:,} vaults, {backups:,} backups, {with_policy:,} with a policy")
    print(f"{'step':<40} {'tick':>10} {'bare SQL':>10} {'ratio':>7}")
    print(f"{'first tick (looks at every vault)':<40} {first:8.0f}ms {baseline:8.1f}ms {first / baseline:6.0f}x")
    median = statistics.median(later)
    print(f"{'later ticks (median of 5)':<40} {median:8.0f}ms {baseline:8.1f}ms {median / baseline:6.0f}x")


if __name__ == "__main__":
    main()
