"""Which backups a backup policy's retention rule deletes (reference §2.8, UMN cbr_03_0025).

- A backup past its expiry time (a time-period rule stamps it when it is made; a manual backup may carry
  its own) is deleted, whether or not a policy is still applied: not at expiry, but in the batches CBR runs
  between 08:00 and 20:00 (UTC here) from the next day on (reference §2.8).
- The quantity rule keeps the newest N available automatic backups of each resource, together with what
  the long-term rules keep: the latest backup of each of the last N days, weeks, months and years that have
  backups, in the policy's time zone. Manual backups are never counted or deleted by it.
- At most 10 failed automatic backups of a resource are kept, none older than a month.
- Never deleted: a backup an image was created from, and the newest backup of a resource whose next backup
  is running.
"""

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone

from cbr_tui.domain.clock import as_utc
from cbr_tui.domain.policy_rules import Retention

FAILED_KEPT = 10
FAILED_KEPT_FOR = timedelta(days=30)
_OFFSET_RE = re.compile(r"UTC([+-])(\d\d):(\d\d)")
DELETION_WINDOW = (time(8), time(20))


@dataclass(frozen=True)
class Candidate:
    """What retention needs to know of one top-level backup."""

    id: str
    resource_id: str
    created_at: datetime
    available: bool
    failed: bool
    automatic: bool
    expired_at: datetime | None = None
    has_image: bool = False


def to_delete(backups: Iterable[Candidate], retention: Retention | None, now: datetime, *,
              busy_resources: frozenset[str] = frozenset()) -> list[str]:
    """IDs of the backups to delete now, oldest first. `retention` is that of the vault's backup policy
    (None: no policy applied, so only expiry applies); `busy_resources` are being backed up."""
    backups = sorted(backups, key=lambda b: (b.created_at, b.id))
    doomed: dict[str, Candidate] = {b.id: b for b in backups
                                   if b.expired_at is not None and deletable_expired(b.expired_at, now)}
    if retention is not None:
        by_resource: dict[str, list[Candidate]] = {}
        for backup in backups:
            if backup.automatic and backup.id not in doomed:
                by_resource.setdefault(backup.resource_id, []).append(backup)
        for group in by_resource.values():
            doomed |= {b.id: b for b in _pruned(group, retention, now)}
    protected = _newest_available_of(backups, busy_resources)
    return [b.id for b in backups if b.id in doomed and not b.has_image and b.id not in protected]


def _pruned(backups: Sequence[Candidate], retention: Retention, now: datetime) -> list[Candidate]:
    """Of one resource's automatic backups (oldest first), those its policy no longer keeps."""
    failed = [b for b in backups if b.failed]
    recent_failed = {b.id for b in failed[-FAILED_KEPT:] if now - b.created_at <= FAILED_KEPT_FOR}
    doomed = [b for b in failed if b.id not in recent_failed]
    if retention.max_backups in (None, -1):
        return doomed
    counted = [b for b in backups if b.available and not b.has_image]
    kept = {b.id for b in counted[-retention.max_backups:]} | _long_term_kept(counted, retention)
    return doomed + [b for b in counted if b.id not in kept]


def _long_term_kept(backups: Sequence[Candidate], retention: Retention) -> set[str]:
    if not retention.long_term:
        return set()
    zone = _zone(retention.timezone)

    def local(b: Candidate) -> datetime:
        return b.created_at.astimezone(zone)

    rules: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (retention.day_backups, lambda t: t.date()),
        (retention.week_backups, lambda t: t.isocalendar()[:2]),
        (retention.month_backups, lambda t: (t.year, t.month)),
        (retention.year_backups, lambda t: t.year),
    ]
    kept: set[str] = set()
    for count, period in rules:
        if count <= 0:
            continue
        latest: dict[Hashable, Candidate] = {}
        for backup in backups:  # oldest first, so the last one of each period wins
            latest[period(local(backup))] = backup
        kept |= {b.id for b in list(latest.values())[-count:]}
    return kept


def _zone(text: str | None) -> timezone:
    match = _OFFSET_RE.fullmatch(text or "")
    if not match:
        return UTC
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-offset if sign == "-" else offset)


def _newest_available_of(backups: Sequence[Candidate], resources: frozenset[str]) -> set[str]:
    newest: dict[str, str] = {}
    for backup in backups:
        if backup.available and backup.resource_id in resources:
            newest[backup.resource_id] = backup.id
    return set(newest.values())


def deletion_opens(expired_at: datetime) -> datetime:
    """When an expired backup may first be deleted: 08:00 (UTC) the day after it expired."""
    return datetime.combine(as_utc(expired_at).date() + timedelta(days=1), DELETION_WINDOW[0], UTC)


def in_deletion_window(now: datetime) -> bool:
    start, end = DELETION_WINDOW
    return start <= as_utc(now).time() < end


def next_deletion_window(now: datetime) -> datetime:
    """The start of the next deletion window after `now` (today's, if it has not opened yet)."""
    today = datetime.combine(as_utc(now).date(), DELETION_WINDOW[0], UTC)
    return today if today > as_utc(now) else today + timedelta(days=1)


def deletable_expired(expired_at: datetime, now: datetime) -> bool:
    """Whether an expired backup is deleted in this pass (CBR deletes them in batches, not at expiry)."""
    return as_utc(now) >= deletion_opens(expired_at) and in_deletion_window(now)
