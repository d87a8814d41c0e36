"""Access keys (AK/SK) for the CBR v3 API: issued to the account itself or to an IAM user, and found again
by the API to check a request's signature.

A signature (SDK-HMAC-SHA256) is an HMAC keyed by the secret, so the API must have the secret itself: it is
sealed by the simulated KMS (`iam/access-keys`, AES-256-GCM bound to the key's ID) and shown only once, when
the key is made. IAM allows two access keys per user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from cbr_tui.cloud.kms import KeyManagement, KeyUnavailable
from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.clock import api_time
from cbr_tui.domain.errors import invalid
from cbr_tui.domain.permissions import Action, Principal
from cbr_tui.domain.secrets import new_access_key
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.principals import principal_of
from cbr_tui.services.views.iam import (
    AccessKeyDeleted,
    AccessKeyIssued,
    AccessKeyList,
    AccessKeyView,
    AccessRef,
    ApiCredential,
    CredentialAnswer,
)
from cbr_tui.store import Store
from cbr_tui.store.models import AccessKey, Account, IamUser, Project

KEYS_PER_USER = 2  # IAM's limit
SEALING_REGION = "global"  # IAM is a global service: one master key for the whole installation
SEALING_ALIAS = "iam/access-keys"


@dataclass(frozen=True)
class KeyHolder:
    """Whose key signed a request, and its secret to check the signature with."""

    access: str
    account_id: str
    account_name: str
    principal: Principal
    secret: str = field(repr=False)


def _sealing(kms: KeyManagement) -> str:
    return kms.service_key(SEALING_REGION, SEALING_ALIAS).key_id


def issue_access_key(session: Session, kms: KeyManagement, account_id: str, user_id: str,
                     now: datetime) -> AccessKeyIssued:
    """Make a key for the account (`user_id` is the account's) or one of its IAM users; IAM's
    create-access-key answer, with the secret in it for the only time."""
    held = session.exec(select(AccessKey).where(AccessKey.user_id == user_id)).all()
    if len(held) >= KEYS_PER_USER:
        raise invalid(f"A user can have at most {KEYS_PER_USER} access keys; delete one first "
                      "(`cbr-tui api-key delete AK`).")
    access, secret = new_access_key()
    sealed = kms.encrypt(_sealing(kms), secret.encode(), access.encode())
    session.add(AccessKey(id=access, account_id=account_id, user_id=user_id, secret_sealed=sealed, created_at=now))
    return AccessKeyIssued(access=access, secret=secret, user_id=user_id, status="active",
                           create_time=api_time(now), description="shown once: keep the secret now")


def key_holder(store: Store, kms: KeyManagement, access: str) -> KeyHolder | None:
    """The active key `access` and who holds it; None when there is no such key, it is not active, its
    holder is gone or disabled, or it was issued before keys were sealed (it cannot sign)."""
    with store.read() as session:
        key = session.get(AccessKey, access)
        if key is None or key.status != "active" or key.secret_sealed is None:
            return None
        account = session.get(Account, key.account_id)
        if account is None:
            return None
        if key.user_id == account.user_id:
            principal = Principal.account_administrator(account.id, account.user_id, account.user_name)
        else:
            user = session.get(IamUser, key.user_id)
            if user is None or not user.enabled or not user.programmatic_access:
                return None
            principal = principal_of(session, user)
        sealed, account_name = key.secret_sealed, account.name
    try:
        secret = kms.decrypt(_sealing(kms), sealed, access.encode()).decode()
    except KeyUnavailable:
        return None
    return KeyHolder(access, account.id, account_name, principal, secret)


class AccessKeyService:
    """`cbr-tui api-key`: a person's own keys, or (administrators) any user's of the account; and, for the
    API's gateway, who signed a request and which region a project of theirs is in."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.kms = KeyManagement(ctx.layout.home)

    def signer(self, access: str) -> KeyHolder | None:
        """The holder of the active key `access` (any account of the installation), with its secret."""
        return key_holder(self.ctx.store, self.kms, access)

    def project_region(self, holder: KeyHolder, project_id: str | None) -> tuple[str, str] | None:
        """The holder's project `project_id` and its region, or (no project named) their project in this
        console's region; None when it is not one of theirs (or is their on-premises data center)."""
        with self.ctx.store.read() as session:
            query = select(Project).where(Project.account_id == holder.account_id)
            query = query.where(Project.id == project_id) if project_id else \
                query.where(Project.region_id == self.ctx.region_id)
            project = session.exec(query).first()
        if project is None or project.region_id == ON_PREMISES.id:
            return None
        return project.id, project.region_id

    def _holder(self, session: Session, user_ref: str | None) -> tuple[str, str]:
        """The user ID and name a key is for: the caller's own when no user is named; someone else's only
        for those who manage IAM."""
        account = session.get(Account, self.ctx.account_id)
        assert account is not None
        caller = self.ctx.principal.user_id or account.user_id
        if user_ref is None and caller != account.user_id:
            user_ref = caller
        if user_ref is None or user_ref in (account.user_name, account.user_id):
            holder = (account.user_id, account.user_name)
        else:
            user = session.exec(select(IamUser).where(IamUser.account_id == self.ctx.account_id,
                                                      (IamUser.name == user_ref) | (IamUser.id == user_ref))).first()
            if user is None:
                raise invalid(f"There is no IAM user {user_ref!r} in this account; `cbr-tui iam user list` "
                              "shows them.")
            holder = (user.id, user.name)
        if holder[0] != caller:
            self.ctx.principal.require(Action.MANAGE_IAM)
        return holder

    def create(self, user_ref: str | None = None) -> CredentialAnswer:
        """A new key and its secret (shown only now), with the project the API's paths name. An IAM user
        given a key gets programmatic access (an access key is what that access type is); a key of a user
        whose programmatic access is off signs nothing."""
        with self.ctx.store.write() as session:
            user_id, _name = self._holder(session, user_ref)
            user = session.get(IamUser, user_id)
            if user is not None and not user.programmatic_access:
                user.programmatic_access = True
                session.add(user)
            credential = issue_access_key(session, self.kms, self.ctx.account_id, user_id, self.ctx.clock.now())
        return CredentialAnswer(credential=ApiCredential(**credential.model_dump(), project_id=self.ctx.project_id))

    def list(self, user_ref: str | None = None) -> AccessKeyList:
        with self.ctx.store.read() as session:
            user_id, name = self._holder(session, user_ref)
            keys = session.exec(select(AccessKey).where(AccessKey.user_id == user_id)
                                .order_by(col(AccessKey.created_at))).all()
            return AccessKeyList(credentials=[
                AccessKeyView(access=k.id, user_id=k.user_id, user_name=name, status=k.status,
                              create_time=api_time(k.created_at), signs_requests=k.secret_sealed is not None)
                for k in keys])

    def delete(self, access: str, user_ref: str | None = None) -> AccessKeyDeleted:
        with self.ctx.store.write() as session:
            user_id, _name = self._holder(session, user_ref)
            key = session.get(AccessKey, access)
            if key is None or key.user_id != user_id:
                raise invalid(f"There is no access key {access!r} here; `cbr-tui api-key list` shows them.")
            session.delete(key)
            return AccessKeyDeleted(deleted=AccessRef(access=access))
