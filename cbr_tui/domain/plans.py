"""What a restore task is to do, typed: the services write a plan into the task, the runner reads it back.

One model per kind of restore, told apart by `kind` (a discriminated union), kept in the task's JSON as it
always was (`task.extra["params"]`), so that a task queued by an older cbr-tui still runs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# (disk backup ID, disk ID): where each disk backup of a server, desktop or disk is written
DiskMapping = tuple[str, str]


class _Plan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServerRestore(_Plan):
    """Restore Server: onto the machine's own disks (a server, or a VM of the data center); the machine is
    stopped while it runs and, afterwards, started (`power_on`) or left as it was found (`was_running`)."""

    kind: Literal["server"] = "server"
    server_id: str
    power_on: bool = True
    was_running: bool = True
    mappings: list[DiskMapping]


class DesktopRestore(_Plan):
    kind: Literal["desktop"] = "desktop"
    desktop_id: str
    mappings: list[DiskMapping]


class DiskRestore(_Plan):
    """Restore Disk: a disk backup onto a detached disk (also a LUN of the data center)."""

    kind: Literal["disk"] = "disk"
    mappings: list[DiskMapping]


class NewDiskRestore(_Plan):
    """Create Disk from a backup: the new disk is made first, Creating, then filled."""

    kind: Literal["new_disk"] = "new_disk"
    mappings: list[DiskMapping]


class NewServerRestore(_Plan):
    """A new server from an image: its new disks are filled from the image's backup."""

    kind: Literal["new_server"] = "new_server"
    server_id: str
    power_on: bool = True
    mappings: list[DiskMapping]


class NewTurboRestore(_Plan):
    """Create File System from an SFS Turbo backup: the tree goes into the new file system's `path`."""

    kind: Literal["new_turbo"] = "new_turbo"
    turbo_id: str
    path: str


class FilesRestore(_Plan):
    """A file backup back to where it came from (no `destination`), or below a new directory."""

    kind: Literal["files"] = "files"
    destination: str | None = None
    keep_owners: bool = False


RestorePlan = Annotated[ServerRestore | DesktopRestore | DiskRestore | NewDiskRestore | NewServerRestore
                        | NewTurboRestore | FilesRestore, Field(discriminator="kind")]
# The plans whose restore writes disk images, and those that write file trees.
DiskRestorePlan = ServerRestore | DesktopRestore | DiskRestore | NewDiskRestore | NewServerRestore
TreeRestorePlan = NewTurboRestore | FilesRestore
DISK_PLANS = (ServerRestore, DesktopRestore, DiskRestore, NewDiskRestore, NewServerRestore)
_ADAPTER: TypeAdapter[RestorePlan] = TypeAdapter(RestorePlan)


def restore_plan(stored: object) -> RestorePlan:
    """The plan kept in a task (`task.extra["params"]`); refused (ValueError) when it is not one."""
    return _ADAPTER.validate_python(stored)


def stored_plan(plan: RestorePlan) -> dict[str, object]:
    """The plan as the task keeps it (JSON)."""
    return plan.model_dump(mode="json")
