"""Application-consistent backup, in database server vaults: the CBR Agent on a running server quiesces its
databases before the disks are read, so the backup is transactionally consistent. Without it CBR backs the
server up crash-consistent instead and says why (seed: Buying a Vault, step 5; reference 2.12)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cbr_tui.domain.enums import ServerStatus
from cbr_tui.domain.errors import CbrError, Codes, invalid

LATEST_AGENT_VERSION = "2.5.1"
_VERSION = re.compile(r"^(\d{1,3}\.){2}\d{1,3}$")
APP_CONSISTENT = "1"
CRASH_CONSISTENT = "0"


def check_agent_version(version: str) -> str:
    """An agent version as the reference writes it: x.y.z, each part 1 to 3 digits."""
    if not _VERSION.fullmatch(version):
        raise invalid(f"An agent version is written x.y.z (such as {LATEST_AGENT_VERSION}); {version!r} is not.")
    return version


def agent_is_old(version: str) -> bool:
    """Older than the agent CBR installs today (CheckAgent's `is_old`)."""
    return tuple(int(part) for part in version.split(".")) < tuple(int(p) for p in LATEST_AGENT_VERSION.split("."))


@dataclass(frozen=True)
class Consistency:
    """What a server's backup in a database server vault is: "1" application-consistent, else "0" with why."""

    status: str
    error: CbrError | None = None


def server_consistency(server_name: str, server_status: str, agent_version: str | None) -> Consistency:
    if agent_version is None:
        return Consistency(CRASH_CONSISTENT, CbrError(
            Codes.AGENT_NOT_FOUND, f"No CBR Agent is installed on {server_name}, so its databases could not be "
                                   "quiesced; CBR made a crash-consistent backup instead."))
    if server_status != ServerStatus.ACTIVE:
        return Consistency(CRASH_CONSISTENT, CbrError(
            Codes.SERVER_STOPPED, f"{server_name} is not running, so the agent could not quiesce its databases; "
                                  "CBR made a crash-consistent backup instead."))
    return Consistency(APP_CONSISTENT)
