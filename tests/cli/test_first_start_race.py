"""Three commands of a script as the very first use of a data directory: one builds the demo inventory,
the others wait for it (they used to fail with `9910 FileExistsError`)."""

import json
import os
import subprocess
import sys
from pathlib import Path


def test_three_processes_starting_a_new_data_directory_all_succeed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("cbr-tui")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBR_TUI_")} | {
        "CBR_TUI_HOME": str(tmp_path / "home"), "CBR_TUI_DEMO_SCALE": "0"}
    started = [subprocess.Popen([str(script), "resource", "list"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [(process.wait(timeout=120), *process.communicate()) for process in started]
    assert [code for code, _out, _err in results] == [0, 0, 0], results
    counts = {json.loads(out)["count"] for _code, out, _err in results}
    assert len(counts) == 1 and counts.pop() > 10  # all three see the whole inventory
