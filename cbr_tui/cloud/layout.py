"""Where the simulated cloud keeps its bytes under the data directory.

Resource rows store paths relative to the data directory, so a whole data directory can move.
"""

from pathlib import Path, PurePosixPath


class CloudLayout:
    def __init__(self, home: Path) -> None:
        self.home = home

    def disk_image(self, region_id: str, disk_id: str) -> str:
        return str(PurePosixPath("cloud", region_id, "disks", f"{disk_id}.img"))

    def turbo_root(self, region_id: str, turbo_id: str) -> str:
        return str(PurePosixPath("cloud", region_id, "sfs-turbo", turbo_id))

    def host_root(self, region_id: str, host_name: str) -> str:
        return str(PurePosixPath("cloud", region_id, "hosts", host_name))

    def resolve(self, relative_or_absolute: str) -> Path:
        path = Path(relative_or_absolute)
        return path if path.is_absolute() else self.home / path
