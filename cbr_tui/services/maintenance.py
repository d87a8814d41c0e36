"""Keeping vaults honest: verify their data, audit their accounting, collect their garbage."""

from __future__ import annotations

from datetime import timedelta

from cbr_tui.cloud.kms import KeyManagement
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.permissions import Action
from cbr_tui.engine import audit, catalog, gc, inventory, keys, verify
from cbr_tui.engine.mirror import MirroredObjectStore
from cbr_tui.engine.verify import VerifyReport as DataReport
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.views.maintenance import (
    AuditAnswer,
    AuditReport,
    GcAnswer,
    GcReport,
    VerifyAnswer,
    VerifyReport,
    ZoneRepairAnswer,
    ZoneRepairReport,
)

GRACE_MINUTES_MAX = 30 * 24 * 60  # a month: longer than any backup runs; beyond it gc would never collect


class MaintenanceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def verify(self, vault_ref: str, *, read_share: float = 0.0) -> VerifyAnswer:
        """Check every backup's structure; with `read_share` (0 to 1) also read and hash that share of data."""
        if not 0 <= read_share <= 1:
            raise invalid(f"The share of data to read is 0 to 1 (0.25 reads a quarter); {read_share} is not.")
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, action=Action.VAULT_UPDATE)
            objects = self.ctx.objects(vault)
            with objects.lock(exclusive=False):
                ring = keys.load(objects, KeyManagement(self.ctx.layout.home)) if read_share > 0 else None
                report = verify.verify(session, objects, vault, self.ctx.clock.now(), read_share=read_share,
                                       keys=ring)
                catalog.record_missing(session, objects, vault)
                zones = objects.differences(inventory.needed(session, vault.id)) \
                    if isinstance(objects, MirroredObjectStore) else {}
            missing = {zone: keys for zone, keys in zones.items() if keys}
            shown = VerifyReport.model_validate({**report.to_api(), "objects_missing_in_zone": missing})
            shown.clean = shown.clean and not missing
            return VerifyAnswer(verify=shown)

    def repair_zones(self, vault_ref: str, *, read_data: bool = False) -> ZoneRepairAnswer:
        """Copy into each zone of a Multi-AZ vault the objects it lacks, from the other zone (a zone lost and
        brought back empty, or from an old copy); with `read_data`, every blob is read in both zones first and
        the objects damaged in one zone are replaced too. gc is kept out meanwhile, so nothing it frees comes
        back."""
        with self.ctx.store.read() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, action=Action.VAULT_UPDATE)
            objects = self.ctx.objects(vault)
        if not isinstance(objects, MirroredObjectStore):
            raise CbrError(Codes.VAULT_CANNOT_UPDATE,
                           f"{vault.name} keeps its data in one place ("
                           + ("a Multi-AZ vault whose two zones share one store" if vault.is_multi_az
                              else "a Single-AZ vault") + "): there is no second copy to repair from.")
        with objects.lock(exclusive=False):
            checked = self._read_both_zones(objects, vault.id) if read_data else None
            with self.ctx.store.read() as session:
                needed = inventory.needed(session, vault.id)
            repaired = objects.repair(checked.damaged_in_zone if checked else None, needed)
        return ZoneRepairAnswer(repair=ZoneRepairReport(
            vault_id=vault.id, copied_objects=repaired.copied, copied_bytes=repaired.copied_bytes,
            unrecoverable_objects=repaired.unrecoverable, blobs_checked=checked.blobs_checked if checked else 0))

    def _read_both_zones(self, objects: MirroredObjectStore, vault_id: str) -> DataReport:
        """Every blob of the vault read in both zones (a verify of all its data): which copies are damaged."""
        ring = keys.load(objects, KeyManagement(self.ctx.layout.home))
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_id)
            return verify.verify(session, objects, vault, self.ctx.clock.now(), read_share=1, keys=ring)

    def audit(self, vault_ref: str, *, fix: bool = False) -> AuditAnswer:
        """Recompute reference counts and used capacity from the manifests; report (and fix) differences."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, for_update=True, action=Action.VAULT_UPDATE)
            objects = self.ctx.objects(vault)
            with objects.lock(exclusive=False):
                try:
                    report = audit.audit(session, objects, vault, self.ctx.clock.now(), fix=fix)
                except audit.FixRefused as refused:
                    raise CbrError(Codes.VAULT_CANNOT_UPDATE, str(refused)) from None
            return AuditAnswer(audit=AuditReport.model_validate(report.to_api()))

    def collect_garbage(self, vault_ref: str, *, grace_minutes: float = gc.DEFAULT_GRACE / timedelta(minutes=1),
                        wait: bool = False) -> GcAnswer:
        """Delete data no backup uses, once unreferenced for `grace_minutes` (0 to a month)."""
        if not 0 <= grace_minutes <= GRACE_MINUTES_MAX:
            raise invalid(f"The grace period is 0 to {GRACE_MINUTES_MAX:,} minutes (30 days); "
                          f"{grace_minutes:g} is not.")
        grace = timedelta(minutes=grace_minutes)
        with self.ctx.store.read() as session:
            vault = lookups.vault(session, self.ctx, vault_ref, action=Action.VAULT_UPDATE)
        report = gc.collect(self.ctx.store, self.ctx.objects(vault), vault.id,
                            self.ctx.clock.now(), grace, wait=wait)
        return GcAnswer(gc=GcReport.model_validate(report.to_api()))
