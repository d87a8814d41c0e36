"""Vault data holds every backed-up byte in clear: the data directory, the database, vault objects, logs and
the simulated resources are their owner's alone, whatever the umask of the shell that runs cbr-tui."""

import os
import subprocess
import sys
from pathlib import Path

from cbr_tui.services.console import private_home


def cbr_tui(home: Path, *args: str) -> None:
    script = Path(sys.executable).with_name("cbr-tui")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBR_TUI_")} | {
        "CBR_TUI_HOME": str(home), "CBR_TUI_DEMO_SCALE": "0"}
    subprocess.run([str(script), *args], env=env, check=True, capture_output=True,
                   preexec_fn=lambda: os.umask(0o022))


def open_to_others(home: Path) -> list[str]:
    found = [home, *home.rglob("*")]
    return [f"{path} {path.lstat().st_mode & 0o777:o}" for path in found
            if not path.is_symlink() and path.lstat().st_mode & 0o077]


def test_everything_cbr_tui_writes_is_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    cbr_tui(home, "resource", "write", "evs-data-01", "--mb", "2")
    cbr_tui(home, "vault", "create", "--type", "disk", "--size", "100", "--resource", "evs-data-01",
            "--name", "vault-d")
    cbr_tui(home, "backup", "create", "vault-d", "--wait")
    assert list(home.glob("vaults/*/chunks/*/*")) and (home / "cbr.db").exists()
    assert open_to_others(home) == []


def test_a_data_directory_made_by_an_earlier_version_is_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "cbr.db").write_bytes(b"")
    private_home(home)
    assert home.stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "shared"  # not a data directory yet: the user's own choice of place is kept
    shared.mkdir()
    shared.chmod(0o755)
    private_home(shared)
    assert shared.stat().st_mode & 0o777 == 0o755
    fresh = tmp_path / "fresh" / "cbr-tui"
    private_home(fresh)
    assert fresh.stat().st_mode & 0o777 == 0o700
