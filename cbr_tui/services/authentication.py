"""Logging in as an IAM user under the login authentication policy, and the sessions that follow.

A wrong username and a wrong password get the same answer, after the same slow hash, so a refusal tells
nothing about which users exist. Failures are counted per user within the policy's window; reaching the
limit locks the user for the lockout period, which nobody can shorten. A session is a random token whose
digest is stored; it ends after the policy's idle timeout, or at logout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from cbr_tui.domain.clock import as_utc, real_clock
from cbr_tui.domain.errors import CbrError, Codes
from cbr_tui.domain.iam_rules import SecurityPolicy, check_password
from cbr_tui.domain.permissions import Principal
from cbr_tui.domain.secrets import hash_secret, new_token, secret_matches, token_digest
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.iam import security_policy
from cbr_tui.services.principals import principal_of
from cbr_tui.store.models import IamSession, IamSshKey, IamUser

WRONG_CREDENTIALS = "The username or password is incorrect."
TOUCH_EVERY = timedelta(minutes=1)
_DECOY_HASH = hash_secret("a password nobody has")  # checked for unknown users, so they take as long


@dataclass(frozen=True)
class LoggedIn:
    """A new session: its token (kept by the caller, never stored) and who it acts as."""

    token: str
    principal: Principal


def refuse(message: str) -> CbrError:
    return CbrError(Codes.AUTHENTICATION_FAILED, message)


class AuthenticationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _policy(self, session: Session) -> SecurityPolicy:
        return security_policy(session, self.ctx.account_id)

    def _find(self, session: Session, name: str, *, for_update: bool = False) -> IamUser | None:
        """The account's user of that name; `for_update` locks the row (PostgreSQL), so that failures
        counted at the same moment all count."""
        query = select(IamUser).where(IamUser.account_id == self.ctx.account_id, IamUser.name == name)
        if for_update and not self.ctx.store.is_sqlite:
            query = query.with_for_update()
        return session.exec(query).first()

    def _now(self) -> datetime:
        """Sessions, failed logins and lockouts count people's real time, not the demo clock's."""
        return as_utc(real_clock(self.ctx.clock).now())

    def _locked_message(self, user: IamUser, policy: SecurityPolicy) -> str | None:
        if user.locked_until is not None and as_utc(user.locked_until) > self._now():
            remaining = as_utc(user.locked_until) - self._now()
            minutes = max(1, round(remaining.total_seconds() / 60))
            return (f"{user.name} is locked after {policy.failures_allowed} failed logins within "
                    f"{policy.failure_window_minutes} minutes; try again in {minutes} minute"
                    f"{'s' if minutes != 1 else ''} (at {as_utc(user.locked_until):%H:%M} UTC).")
        return None

    def _count_failure(self, session: Session, user: IamUser, policy: SecurityPolicy) -> None:
        now = self._now()
        if user.first_failure_at is None or now - as_utc(user.first_failure_at) > policy.failure_window:
            user.failed_logins, user.first_failure_at = 0, now
        user.failed_logins += 1
        if user.failed_logins >= policy.failures_allowed:
            user.locked_until = now + policy.lockout
            user.failed_logins, user.first_failure_at = 0, None
        session.add(user)

    def _open(self, session: Session, user: IamUser, source: str) -> LoggedIn:
        now = self._now()
        user.failed_logins, user.first_failure_at, user.last_login_at = 0, None, now
        session.add(user)
        token = new_token()
        session.add(IamSession(token_hash=token_digest(token), user_id=user.id, source=source[:255],
                               created_at=now, last_seen_at=now))
        self._forget_idle(session)
        return LoggedIn(token, principal_of(session, user))

    def _forget_idle(self, session: Session) -> None:
        stale = self._now() - self._policy(session).session_timeout
        for row in session.exec(select(IamSession).where(col(IamSession.last_seen_at) < stale)).all():
            session.delete(row)

    def _admissible(self, session: Session, user: IamUser | None, *, logging_in: bool = True) -> IamUser:
        """A user of this account who may use the console at all (enabled, with console access) and, to log
        in, not locked (a lockout stops new logins; sessions already open go on)."""
        if user is None or user.account_id != self.ctx.account_id:  # a session of another account's user
            raise refuse(WRONG_CREDENTIALS)
        locked = self._locked_message(user, self._policy(session)) if logging_in else None
        if locked:
            raise refuse(locked)
        if not user.enabled:
            raise refuse(f"{user.name} is disabled; an administrator of the account can enable it again.")
        if not user.console_access:
            raise refuse(f"{user.name} has programmatic access only: it signs API requests with its access key "
                         "and cannot log in to the console.")
        return user

    def log_in(self, name: str, password: str, *, source: str = "") -> LoggedIn:
        """Check a username and password; a failure is counted before the refusal is raised.

        The slow hash runs outside any transaction (on SQLite a write transaction holds the database's one
        write lock). Every wrong answer is the same, whether the user exists, has no password yet or is
        locked: only the right password to a locked user learns of the lock."""
        with self.ctx.store.read() as session:
            user = self._find(session, name)
            stored = user.password_hash if user is not None else None
        right = secret_matches(password, stored or _DECOY_HASH) and stored is not None
        with self.ctx.store.write() as session:
            user = self._find(session, name, for_update=True)
            if user is None or user.password_hash != stored:
                raise refuse(WRONG_CREDENTIALS)  # gone, or its password changed meanwhile
            if right:
                return self._open(session, self._admissible(session, user), source)
            policy = self._policy(session)
            if self._locked_message(user, policy) is None:
                self._count_failure(session, user, policy)
        raise refuse(WRONG_CREDENTIALS)

    def set_first_password(self, name: str, code: str, password: str, *, source: str = "") -> LoggedIn:
        """A *Set by user* user's first login: the one-time code IAM emailed, then a password of their own."""
        with self.ctx.store.write() as session:
            user = self._find(session, name)
            if user is None or user.password_setup_hash is None or not code or \
                    token_digest(code) != user.password_setup_hash:
                raise refuse("That username and one-time code do not match a user waiting to set a password.")
            user.password_hash = hash_secret(check_password(password, user.name, self._policy(session)))
            user.password_setup_hash = None
            return self._open(session, self._admissible(session, user), source)

    def change_password(self, principal: Principal, old: str, new: str) -> None:
        with self.ctx.store.write() as session:
            user = session.get(IamUser, principal.user_id)
            if user is None:
                raise refuse("Only IAM users have a password here; the account's administrator logs in locally.")
            if not secret_matches(old, user.password_hash):
                raise refuse("The current password is incorrect.")
            user.password_hash = hash_secret(check_password(new, user.name, self._policy(session)))
            session.add(user)

    def log_in_with_key(self, name: str, fingerprint: str, *, source: str = "") -> LoggedIn:
        """An SSH public key login: the key must be one the user registered."""
        with self.ctx.store.write() as session:
            user = self._find(session, name)
            key = None if user is None else session.exec(select(IamSshKey).where(
                IamSshKey.user_id == user.id, IamSshKey.fingerprint == fingerprint)).first()
            if key is None:
                raise refuse(f"That key is not registered for {name}; add it with `cbr-tui iam add-ssh-key`.")
            return self._open(session, self._admissible(session, user), source)

    def has_key(self, name: str, fingerprint: str) -> bool:
        with self.ctx.store.read() as session:
            user = self._find(session, name)
            return user is not None and session.exec(select(IamSshKey).where(
                IamSshKey.user_id == user.id, IamSshKey.fingerprint == fingerprint)).first() is not None

    def resume(self, token: str) -> Principal:
        """The principal of a live session, which counts as activity; an idle or unknown one is refused.
        The activity is written at most once a minute (many consoles opening at once need no write)."""
        with self.ctx.store.read() as session:
            row = session.get(IamSession, token_digest(token))
            if row is not None and timedelta(0) <= self._now() - as_utc(row.last_seen_at) < min(
                    TOUCH_EVERY, self._policy(session).session_timeout):
                user = session.get(IamUser, row.user_id)
                assert user is not None
                return principal_of(session, self._admissible(session, user, logging_in=False))
        with self.ctx.store.write() as session:
            row = session.get(IamSession, token_digest(token))
            if row is None:
                raise refuse("There is no such session: log in again (`cbr-tui login NAME`).")
            now = self._now()
            policy = self._policy(session)
            if now - as_utc(row.last_seen_at) > policy.session_timeout:
                session.delete(row)
                minutes = policy.session_timeout_minutes
                failed = f"The session ended after {minutes} minutes without activity; log in again."
            else:
                user = session.get(IamUser, row.user_id)
                assert user is not None
                row.last_seen_at = now
                session.add(row)
                return principal_of(session, self._admissible(session, user, logging_in=False))
        raise refuse(failed)

    def log_out(self, token: str) -> bool:
        with self.ctx.store.write() as session:
            row = session.get(IamSession, token_digest(token))
            if row is not None:
                session.delete(row)
            return row is not None
