"""Check Data of a vault: verify its backups (structure, or also a share of the data read and hashed),
audit its accounting, and optionally delete data no backup uses. Runs in a worker thread: reading a
large vault takes a while, and the console stays usable meanwhile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.widgets import Button, Label, Select, Switch

from cbr_tui.domain.errors import CbrError
from cbr_tui.ui import format as fmt
from cbr_tui.ui.dialogs.base import Dialog
from cbr_tui.ui.widgets.switch import WordedSwitch

if TYPE_CHECKING:
    from cbr_tui.services.views import VaultView
    from cbr_tui.services.views.maintenance import AuditReport, GcReport, VerifyReport

READ_SHARES = [("Structure only: every backup's manifest and the presence of its data", 0.0),
               ("Read and hash 10% of the stored data", 0.1),
               ("Read and hash all stored data", 1.0)]


class CheckDataDialog(Dialog[str | None]):
    ok_label = "Check"

    def __init__(self, vault: VaultView) -> None:
        super().__init__()
        self.vault = vault
        self.title_text = f"Check Data of {vault.name}"
        self.summary: str | None = None

    def body(self) -> ComposeResult:
        yield Label("Backups found damaged are marked, restores refuse them, and the next backup of their "
                    "resource reads all its data again.", classes="dialog-text")
        yield Select(READ_SHARES, value=0.0, allow_blank=False, id="read-share")
        yield WordedSwitch("Also delete stored data that no backup uses (left by failed or interrupted backups)",
                           False, id="collect", on_word="Yes", off_word="No")
        yield Label("", id="check-result", classes="dialog-text")

    def submit(self) -> None:
        if self.summary is not None:
            self.dismiss(self.summary)
            return
        share = self.query_one("#read-share", Select).value
        self.query_one("#ok", Button).disabled = True
        self.query_one("#check-result", Label).update("Checking…")
        self._check(float(share) if isinstance(share, float | int) else 0.0,
                    self.query_one("#collect", Switch).value)

    @work(thread=True, exclusive=True)
    def _check(self, read_share: float, collect: bool) -> None:
        maintenance = self.services.maintenance
        try:
            verified = maintenance.verify(self.vault.id, read_share=read_share).verify
            audited = maintenance.audit(self.vault.id).audit
            collected = maintenance.collect_garbage(self.vault.id).gc if collect else None
        except CbrError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._done, report_lines(verified, audited, collected))

    def _done(self, lines: list[str]) -> None:
        self.summary = lines[0]
        self.query_one("#check-result", Label).update("\n".join(lines))
        ok = self.query_one("#ok", Button)
        ok.label, ok.disabled = "Close", False
        ok.focus()

    def _failed(self, error: CbrError) -> None:
        self.query_one("#check-result", Label).update("")
        self.query_one("#ok", Button).disabled = False
        self.show_error(error)


def report_lines(verified: VerifyReport, audited: AuditReport, collected: GcReport | None) -> list[str]:
    """What the check found, in words; the first line sums it up."""
    damaged = len(verified.damaged_backups) + len(verified.unreadable_manifests)
    healthy = verified.clean and audited.clean
    lines = [f"{'No problem found' if healthy else 'Problems found'}: {verified.backups_checked} backups, "
             f"{verified.blobs_checked:,} data blocks checked, {fmt.size(verified.bytes_read)} read."]
    if damaged:
        lines.append(f"✖ {damaged} backups reference damaged or missing data and are marked damaged.")
    if verified.missing_blobs or verified.damaged_blobs:
        lines.append(f"✖ {len(verified.missing_blobs)} data blocks missing, "
                     f"{len(verified.damaged_blobs)} damaged.")
    if audited.used_recorded != audited.used_expected:
        lines.append(f"✖ Used capacity is recorded as {fmt.size(audited.used_recorded)} but the backups hold "
                     f"{fmt.size(audited.used_expected)}.")
    if audited.refcount_mismatches:
        lines.append(f"✖ {len(audited.refcount_mismatches)} data blocks have wrong reference counts.")
    if collected is not None:
        lines.append(f"Deleted {collected.deleted_objects} unused objects ({fmt.size(collected.deleted_bytes)})."
                     if collected.ran else
                     "Unused data was not deleted: backups or restores of this vault are running; try later.")
    return lines
