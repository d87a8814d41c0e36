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

    def host_root(self, region_id: str, host_name: str, account_id: str | None = None) -> str:
        """A simulated host's directory; an account registered after the first keeps its hosts apart (host
        names are the account's own choice, so two accounts may well pick the same one)."""
        if account_id is None:
            return str(PurePosixPath("cloud", region_id, "hosts", host_name))
        return str(PurePosixPath(*self.account_hosts(account_id), region_id, host_name))

    @staticmethod
    def account_hosts(account_id: str) -> tuple[str, ...]:
        return ("cloud", "accounts", account_id)

    def resolve(self, relative_or_absolute: str) -> Path:
        path = Path(relative_or_absolute)
        return path if path.is_absolute() else self.home / path
