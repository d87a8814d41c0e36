"""Keeping vaults honest and bringing them back: verify, audit, garbage collection, recovery, repair; and
the answers of deletions that leave only an ID behind (backups, images)."""

from __future__ import annotations

from cbr_tui.services.views.base import View


class VerifyReport(View):
    """What `vault verify` found: structure always, and the data it read when asked to read a share."""

    vault_id: str
    clean: bool
    backups_checked: int
    blobs_checked: int
    bytes_read: int
    missing_blobs: list[str]
    damaged_blobs: list[str]
    damaged_backups: list[str]
    unreadable_manifests: dict[str, str]  # manifest key: why it cannot be read
    blobs_with_unavailable_keys: dict[str, str]  # blob: why its data key cannot be opened
    # A Multi-AZ vault kept in two places: for each zone, the objects the other zone has and it lacks
    # (`vault repair-zones` copies them back); empty for a vault kept in one place.
    objects_missing_in_zone: dict[str, list[str]] = {}
    # ... and, when data was read, the objects whose copy in a zone is damaged while the other zone's is whole
    # (`vault repair-zones --read-data` replaces them)
    objects_damaged_in_zone: dict[str, list[str]] = {}


class VerifyAnswer(View):
    verify: VerifyReport


class ZoneRepairReport(View):
    """What `vault repair-zones` copied into each zone of a Multi-AZ vault, from the other: the objects the
    zone lacks, and with `--read-data` the objects whose copy there is damaged."""

    vault_id: str
    copied_objects: dict[str, int]  # zone: objects copied into it (missing there, or damaged)
    copied_bytes: int
    unrecoverable_objects: list[str]  # in neither zone whole
    blobs_checked: int = 0  # with --read-data: the blobs read in both zones to find damaged copies


class ZoneRepairAnswer(View):
    repair: ZoneRepairReport


class RefcountMismatch(View):
    hash: str
    recorded: int
    expected: int


class AuditReport(View):
    """Reference counts and used capacity as recorded, against what the manifests say they are."""

    vault_id: str
    clean: bool
    used_recorded: int
    used_expected: int
    refcount_mismatches: list[RefcountMismatch]
    missing_chunks: list[str]
    unreadable_manifests: dict[str, str]
    fixed: bool


class AuditAnswer(View):
    audit: AuditReport


class GcReport(View):
    vault_id: str
    ran: bool  # False: backups or restores of the vault were running, so nothing was collected
    freed_blobs: int
    deleted_objects: int
    deleted_bytes: int


class GcAnswer(View):
    gc: GcReport


class RecoveredVault(View):
    """One vault's store, recovered or not (and why not). A store with no vault record names only itself."""

    recovered: bool
    unreadable: dict[str, str]  # records of the store that could not be read: key, why
    store: str | None = None
    vault_id: str | None = None
    name: str | None = None
    reason: str | None = None
    vault_recovered: bool | None = None  # the vault's own row was put back (it was missing)
    backups_recovered: list[str] | None = None  # their IDs
    backups_skipped: dict[str, str] | None = None  # backup ID: why it was not put back
    blobs_indexed: int | None = None
    used_bytes: int | None = None


class RecoveryAnswer(View):
    recovered: list[RecoveredVault]


class TableSalvage(View):
    kept: int
    unreadable_ranges: int
    refused: int  # read, but refused by the new database (a parent row was lost)
    read_whole: bool


class RepairedDatabase(View):
    path: str
    problem: str
    damaged_copy: str  # the damaged file, set aside and never deleted
    tables: dict[str, TableSalvage]


class RepairAnswer(View):
    database: RepairedDatabase
    recovered: list[RecoveredVault]


class BackupDeleted(View):
    backup_id: str


class ImageView(View):
    """A full-server image made from a server backup (Create Image)."""

    id: str
    name: str
    status: str
    backup_id: str
    backup_name: str
    min_disk: int
    created_at: str | None


class ImageAnswer(View):
    image: ImageView


class ImageList(View):
    images: list[ImageView]
    count: int


class ImageDeleted(View):
    image_id: str
