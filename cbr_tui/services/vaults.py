"""Vaults: the purchase wizard of every type, the vault list and its search, details, expansion, automatic
association, tags, deletion and unsubscription.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, delete, func, or_, select

from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.clock import api_time, as_utc
from cbr_tui.domain.eligibility import (
    ensure_vault_allows_delete,
    ensure_vault_allows_expansion,
    ensure_vault_allows_update,
)
from cbr_tui.domain.enums import (
    ChargingMode,
    CloudType,
    ConsistentLevel,
    ObjectType,
    PeriodType,
    ProtectType,
    VaultStatus,
)
from cbr_tui.domain.errors import CbrError, Codes, invalid
from cbr_tui.domain.names import default_vault_name
from cbr_tui.domain.permissions import Action
from cbr_tui.domain.pricing import Quote, expansion_amount, quote_vault, unsubscription_refund
from cbr_tui.domain.rules import (
    ALARM_THRESHOLD_DEFAULT,
    TAGS_PER_VAULT,
    Tag,
    TagInput,
    auto_bind_refusal,
    check_capacity,
    check_choice,
    check_description,
    check_name,
    check_paging,
    check_period,
    check_tag_filter,
    check_tags,
    check_threshold,
)
from cbr_tui.domain.vault_types import VaultType, vault_type
from cbr_tui.engine import catalog
from cbr_tui.services import lookups
from cbr_tui.services.associations import (
    PlannedMember,
    ResourceSelection,
    VaultSlot,
    add_members,
    plan_association,
    refuse_resources_for,
)
from cbr_tui.services.billing import settle
from cbr_tui.services.capacity import allocated_gb
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.ledger import charge, money, order_shape
from cbr_tui.services.policies import PolicySpec, insert_policy, link_policy
from cbr_tui.services.removal import remove_stored, remove_vault
from cbr_tui.services.shapes import vault_views
from cbr_tui.services.tag_search import TagCondition, TagFilter, carrying_any
from cbr_tui.services.views import (
    OrderView,
    Price,
    PriceAnswer,
    ProjectTags,
    PurchaseCheck,
    Refund,
    TagValues,
    TagView,
    VaultAnswer,
    VaultPage,
    VaultPurchase,
    VaultRemoval,
    VaultSummary,
    VaultsUpdated,
    VaultTagDetail,
    VaultTagMatch,
    VaultTagMatches,
    VaultView,
)
from cbr_tui.store import notices
from cbr_tui.store.models import (
    Account,
    AvailabilityZone,
    Order,
    Vault,
    VaultPolicy,
    VaultResource,
    VaultTag,
)

MiB = 1 << 20
_SORT_KEYS = {
    "created_at": Vault.created_at,
    "name": Vault.name,
    "size": Vault.size_gb,
    "used": Vault.used_bytes,
    "status": Vault.status,
}


@dataclass(frozen=True)
class VaultSpec:
    """Everything the purchase wizard asks, in API terms (sizes in GB, also for TB-priced types)."""

    object_type: ObjectType
    size_gb: int
    name: str | None = None
    description: str | None = None
    charging_mode: ChargingMode = ChargingMode.POST_PAID
    period_type: PeriodType | None = None
    period_num: int | None = None
    auto_renew: bool = False
    protect_type: ProtectType = ProtectType.BACKUP
    app_consistent: bool = False
    multi_az: bool = False
    resources: Sequence[ResourceSelection] = ()
    policy: str | None = None
    new_policy: PolicySpec | None = None
    enterprise_project: str = "0"
    auto_bind: bool = False
    bind_tags: TagInput = ()
    tags: TagInput = ()
    availability_zone: str | None = None
    smn_notify: bool = True  # notify (SMN) when the used capacity reaches `threshold` % of the capacity
    threshold: int = ALARM_THRESHOLD_DEFAULT


@dataclass(frozen=True)
class VaultChange:
    """What UpdateVault changes (None: left as it is)."""

    name: str | None = None
    size_gb: int | None = None
    auto_bind: bool | None = None
    bind_tags: TagInput | None = None
    smn_notify: bool | None = None
    threshold: int | None = None


@dataclass
class _Checked:
    vtype: VaultType
    protect_type: ProtectType
    level: ConsistentLevel
    charging: ChargingMode
    period: tuple[PeriodType, int] | None
    quote: Quote
    bind_tags: list[Tag] = field(default_factory=list)


@dataclass
class _Purchase:
    """A purchase that passed every rule: what `create` writes."""

    checked: _Checked
    name: str
    description: str | None
    tags: list[Tag]
    zone: str
    enterprise_id: str
    planned: list[PlannedMember]
    secondary_zone: str | None  # Multi-AZ: the zone of the second copy


def _check_offer(spec: VaultSpec) -> _Checked:
    """Reject options the chosen vault type does not offer, and price the rest."""
    vtype = vault_type(spec.object_type)
    protect = check_choice(ProtectType, spec.protect_type, "protection type")
    if protect is ProtectType.REPLICATION and not vtype.offers_replication:
        raise CbrError(Codes.REPLICATION_NOT_ALLOWED,
                       f"A {vtype.vault_label} has no replication protection type.")
    if spec.app_consistent and not vtype.offers_app_consistent:
        raise CbrError(Codes.DATABASE_BACKUP_NOT_ALLOWED,
                       f"Application-consistent backup is offered only for server backup vaults, not a "
                       f"{vtype.vault_label}.")
    if spec.multi_az and not vtype.offers_redundancy:
        raise invalid(f"A {vtype.vault_label} has no choice of backup data redundancy; it is Single-AZ.")
    check_capacity(vtype, spec.size_gb)
    check_threshold(spec.threshold)
    charging = ChargingMode(spec.charging_mode)
    period = None
    if charging is ChargingMode.PRE_PAID:
        period = check_period(spec.period_type, spec.period_num)
    elif spec.period_type or spec.period_num or spec.auto_renew:
        raise invalid("A required duration and auto-renewal apply only to yearly/monthly billing.")
    level = ConsistentLevel.APP if spec.app_consistent else ConsistentLevel.CRASH
    quote = quote_vault(object_type=vtype.object_type, protect_type=protect, consistent_level=level,
                        multi_az=spec.multi_az, size_gb=spec.size_gb, charging_mode=charging,
                        period_type=period[0] if period else None, period_num=period[1] if period else None)
    return _Checked(vtype, protect, level, charging, period, quote)


def _end_of_period(start: datetime, period: tuple[PeriodType, int]) -> datetime:
    unit, count = period
    return start + (relativedelta(years=count) if unit is PeriodType.YEAR else relativedelta(months=count))


class VaultService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- purchase -------------------------------------------------------------------------------------

    def default_name(self) -> str:
        """The name the purchase form proposes (`vault_xxxx`)."""
        return default_vault_name(self.ctx.ids)

    def quote(self, spec: VaultSpec) -> PriceAnswer:
        """The price summary of the purchase wizard."""
        return PriceAnswer(price=Price.model_validate(_check_offer(spec).quote.to_api()))

    def check(self, spec: VaultSpec) -> PurchaseCheck:
        """Every rule of the purchase short of paying (the wizard checks a step before moving on)."""
        with self.ctx.store.read() as session:
            purchase = self._prepare(session, spec, vault_id=None)
        return PurchaseCheck(price=Price.model_validate(purchase.checked.quote.to_api()),
                             resources_gb=sum(p.size_gb for p in purchase.planned))

    def create(self, spec: VaultSpec) -> VaultPurchase:
        """Buy a vault: validate every step, pay yearly/monthly orders from the balance, write it all at once."""
        with self.ctx.store.write() as session:
            vault_id = self.ctx.ids.uuid()
            purchase = self._prepare(session, spec, vault_id)
            vault = self._new_vault(vault_id, purchase, spec)
            session.add(vault)
            session.flush()
            add_members(session, self.ctx, vault.id, purchase.planned)
            for tag in purchase.tags:
                session.add(VaultTag(vault_id=vault.id, key=tag.key, value=tag.value))
            self._apply_purchase_policy(session, vault, spec)
            orders = self._pay_purchase(session, vault, purchase.checked)
            session.flush()
            catalog.record_vault(session, self.ctx.objects(vault), vault)
            return VaultPurchase(vault=vault_views(session, [vault])[0], orders=orders)

    def _prepare(self, session: Session, spec: VaultSpec, vault_id: str | None) -> _Purchase:
        checked = _check_offer(spec)
        name = check_name(spec.name or default_vault_name(self.ctx.ids))
        description = check_description(spec.description)
        tags = check_tags(spec.tags)
        checked.bind_tags = check_tag_filter(spec.bind_tags, "automatic association rule")
        if checked.bind_tags and not spec.auto_bind:
            raise invalid("A tag filter applies only when automatic association is configured.")
        if spec.auto_bind:
            refusal = refuse_resources_for(checked.vtype, checked.protect_type)
            if refusal:
                raise CbrError(Codes.VAULT_CANNOT_UPDATE, f"Automatic association is unavailable. {refusal.message}")
        if spec.policy and spec.new_policy:
            raise invalid("Choose an existing policy or create a new one, not both.")
        if checked.charging is ChargingMode.POST_PAID:
            self._refuse_in_arrears(session)
        enterprise = lookups.enterprise_project(session, self.ctx, spec.enterprise_project)
        self._permit_purchase(session, spec, enterprise.id)
        zone = self._zone(session, spec.availability_zone)
        slot = VaultSlot(checked.vtype, checked.protect_type, name, zone, spec.size_gb, vault_id)
        planned = plan_association(session, self.ctx, slot, spec.resources)
        if spec.auto_bind:
            refusal_text = auto_bind_refusal(spec.size_gb, sum(p.size_gb for p in planned))
            if refusal_text:
                raise CbrError(Codes.VAULT_CANNOT_UPDATE, refusal_text)
        secondary = self._secondary_zone(session, zone) if spec.multi_az else None
        return _Purchase(checked, name, description, tags, zone, enterprise.id, planned, secondary)

    def _refuse_in_arrears(self, session: Session) -> None:
        """An account in arrears buys no pay-per-use resource until it has topped up (Huawei Cloud's billing
        restricts pay-per-use purchases while arrears are owed)."""
        account = session.get(Account, self.ctx.account_id)
        if account is not None and account.arrears_since is not None and self.ctx.region_id != ON_PREMISES.id:
            raise CbrError(Codes.VAULT_CREATION_FAILED,
                           f"The account has been in arrears since {api_time(account.arrears_since)} (balance "
                           f"{money(account.balance_cents)} USD); top it up before buying a pay-per-use vault.")

    def _permit_purchase(self, session: Session, spec: VaultSpec, enterprise_id: str) -> None:
        """Buying may also associate resources and apply or create a policy: each needs its permission."""
        needed = [Action.VAULT_CREATE]
        needed += [Action.VAULT_ADD_RESOURCES] if spec.resources else []
        needed += [Action.VAULT_ASSOCIATE_POLICY] if spec.policy or spec.new_policy else []
        needed += [Action.POLICY_CREATE] if spec.new_policy else []
        for action in needed:
            lookups.permit(session, self.ctx, action, enterprise_id)

    def _new_vault(self, vault_id: str, purchase: _Purchase, spec: VaultSpec) -> Vault:
        now, checked = self.ctx.clock.now(), purchase.checked
        name, description, zone = purchase.name, purchase.description, purchase.zone
        enterprise_id = purchase.enterprise_id
        period = checked.period
        return Vault(
            id=vault_id, project_id=self.ctx.project_id, user_id=self.ctx.user_id, name=name,
            description=description, object_type=checked.vtype.object_type.value,
            protect_type=checked.protect_type.value, consistent_level=checked.level.value,
            cloud_type=checked.vtype.cloud_type.value, charging_mode=checked.charging.value,
            period_type=period[0].value if period else None, period_num=period[1] if period else None,
            is_auto_renew=spec.auto_renew, is_auto_pay=bool(period),
            expires_at=_end_of_period(now, period) if period else None, size_gb=spec.size_gb,
            status=VaultStatus.AVAILABLE.value, is_multi_az=spec.multi_az, availability_zone=zone,
            secondary_zone=purchase.secondary_zone,
            enterprise_project_id=enterprise_id, auto_bind=spec.auto_bind,
            bind_rules=[t.to_api() for t in checked.bind_tags], created_at=now, updated_at=now,
            smn_notify=spec.smn_notify, threshold=spec.threshold,
            # pay-per-use is charged from now; the on-premises data center's own storage is on no bill
            billed_through=None if period or self.ctx.region_id == ON_PREMISES.id else now,
        )

    def _apply_purchase_policy(self, session: Session, vault: Vault, spec: VaultSpec) -> None:
        if spec.policy:
            link_policy(session, self.ctx, vault, lookups.policy(session, self.ctx, spec.policy))
        elif spec.new_policy:
            link_policy(session, self.ctx, vault, insert_policy(session, self.ctx, spec.new_policy))

    def _pay_purchase(self, session: Session, vault: Vault, checked: _Checked) -> list[OrderView]:
        if checked.charging is not ChargingMode.PRE_PAID:
            return []
        order = charge(session, self.ctx, checked.quote.amount_cents, kind="new", vault_id=vault.id,
                       refusal=Codes.VAULT_CREATION_FAILED, detail=checked.quote.to_api())
        vault.order_id = order.id
        vault.product_id = vault_type(vault.object_type).spec_code(
            ProtectType(vault.protect_type), ConsistentLevel(vault.consistent_level))
        session.add(vault)
        return [order_shape(order)]

    def _secondary_zone(self, session: Session, zone: str) -> str | None:
        """Where a Multi-AZ vault keeps its second copy: the region's first other availability zone (None in a
        region of one zone)."""
        others = session.exec(select(AvailabilityZone.id).where(AvailabilityZone.region_id == self.ctx.region_id,
                                                                AvailabilityZone.id != zone)
                              .order_by(AvailabilityZone.id)).first()
        return others

    def _zone(self, session: Session, availability_zone: str | None) -> str:
        zones = session.exec(select(AvailabilityZone).where(AvailabilityZone.region_id == self.ctx.region_id)
                             .order_by(AvailabilityZone.id)).all()
        if availability_zone is None:
            return next(z.id for z in zones if z.accepts_new_associations)
        for zone in zones:
            if availability_zone in (zone.id, zone.name):
                return zone.id
        raise invalid(f"{availability_zone!r} is not an availability zone of {self.ctx.region_id}.")

    # --- reading ----------------------------------------------------------------------------------------

    def list(self, *, object_type: str | None = None, protect_type: str | None = None, status: str | None = None,
             search: str | None = None, tags: TagInput | None = None, enterprise_project: str | None = None,
             resource_id: str | None = None, policy_id: str | None = None, limit: int = 50, offset: int = 0,
             sort: str = "created_at:desc", cloud_type: str | None = None) -> VaultPage:
        """The vault list: filter by type, status, name or ID, and up to 5 tags (a vault matching any one)."""
        check_paging(limit, offset)
        wanted = check_tag_filter(tags, "vault search")
        query = select(Vault).where(Vault.project_id == self.ctx.project_id, *lookups.visible_clause(Vault, self.ctx))
        if object_type:
            query = query.where(Vault.object_type == check_choice(ObjectType, object_type, "vault type").value)
        if protect_type:
            query = query.where(Vault.protect_type == check_choice(ProtectType, protect_type, "protection type").value)
        if status:
            query = query.where(Vault.status == check_choice(VaultStatus, status, "vault status").value)
        if cloud_type:
            query = query.where(col(Vault.cloud_type) == check_choice(CloudType, cloud_type, "cloud type").value)
        if search:
            query = query.where(or_(col(Vault.name).contains(search), Vault.id == search))
        if enterprise_project:
            query = query.where(Vault.enterprise_project_id == enterprise_project)
        if resource_id:
            query = query.where(col(Vault.id).in_(
                select(VaultResource.vault_id).where(VaultResource.resource_id == resource_id)))
        if policy_id:
            query = query.where(col(Vault.id).in_(select(VaultPolicy.vault_id)
                                                  .where(VaultPolicy.policy_id == policy_id)))
        if wanted:
            query = query.where(col(Vault.id).in_(carrying_any(VaultTag, [TagCondition.of(t) for t in wanted])))
        key, _, direction = sort.partition(":")
        if key not in _SORT_KEYS or direction not in ("", "asc", "desc"):
            raise invalid(f"Sort by one of {', '.join(_SORT_KEYS)}, optionally :asc or :desc; not {sort!r}.")
        column = col(_SORT_KEYS[key])
        # The ID breaks ties in the same direction, so that the list index serves the order (no sort).
        order = (column.asc(), col(Vault.id).asc()) if direction == "asc" else (column.desc(), col(Vault.id).desc())
        with self.ctx.store.read() as session:
            total = lookups.count(session, query)
            rows = session.exec(query.order_by(*order).offset(offset).limit(limit)).all()
            return VaultPage(vaults=vault_views(session, rows), count=total, limit=limit, offset=offset)

    def show(self, ref: str) -> VaultView:
        with self.ctx.store.read() as session:
            return vault_views(session, [lookups.vault(session, self.ctx, ref)])[0]

    def summary(self) -> VaultSummary:
        """The capacity of every vault of this region the caller sees (GB) and what they use (MB, as each
        vault's `billing.used`): ShowSummary."""
        query = select(func.coalesce(func.sum(Vault.size_gb), 0), func.coalesce(func.sum(Vault.used_bytes), 0)) \
            .where(col(Vault.project_id) == self.ctx.project_id, *lookups.visible_clause(Vault, self.ctx))
        with self.ctx.store.read() as session:
            size, used = session.exec(query).one()
        return VaultSummary(size=int(size), used_size=int(used) // MiB)

    def filter_by_tags(self, spec: TagFilter, *, count_only: bool = False) -> VaultTagMatches:
        """The vaults a tag filter selects (`POST /vault/resource_instances/action`), or only how many."""
        spec.check()
        query = select(Vault).where(Vault.project_id == self.ctx.project_id, *lookups.visible_clause(Vault, self.ctx),
                                    *spec.clauses(col(Vault.id), VaultTag))
        if spec.name is not None:
            query = query.where(col(Vault.name).contains(spec.name, autoescape=True) if spec.name
                                else Vault.name == "")
        if spec.object_type:
            query = query.where(Vault.object_type == check_choice(ObjectType, spec.object_type, "vault type").value)
        if spec.cloud_type:
            query = query.where(Vault.cloud_type == check_choice(CloudType, spec.cloud_type, "cloud type").value)
        with self.ctx.store.read() as session:
            total = lookups.count(session, query)
            if count_only:
                return VaultTagMatches(resources=[], total_count=total)
            rows = session.exec(query.order_by(col(Vault.created_at).desc(), col(Vault.id).desc())
                                .offset(spec.offset).limit(spec.limit)).all()
            found = [VaultTagMatch(resource_id=v.id, resource_name=v.name, resource_detail=VaultTagDetail(vault=v),
                                   tags=v.tags, sys_tags=[TagView(key="_sys_enterprise_project_id",
                                                                  value=v.enterprise_project_id)])
                     for v in vault_views(session, rows)]
            return VaultTagMatches(resources=found, total_count=total)

    def project_tags(self) -> ProjectTags:
        """Every tag key with its values over this region's vaults (what the tag search offers)."""
        with self.ctx.store.read() as session:
            rows = session.exec(
                select(VaultTag.key, VaultTag.value)
                .join(Vault, col(Vault.id) == VaultTag.vault_id)
                .where(Vault.project_id == self.ctx.project_id,
                       *lookups.visible_clause(Vault, self.ctx))
                .distinct().order_by(VaultTag.key, VaultTag.value)
            ).all()
        grouped: dict[str, list[str]] = {}
        for key, value in rows:
            grouped.setdefault(key, []).append(value)
        return ProjectTags(tags=[TagValues(key=k, values=v) for k, v in grouped.items()])

    # --- changing -------------------------------------------------------------------------------------

    def update(self, ref: str, *, name: str | None = None, description: str | None = None) -> VaultAnswer:
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            ensure_vault_allows_update(vault.name, vault.status)
            if name is not None:
                vault.name = check_name(name)
            if description is not None:
                vault.description = check_description(description)
            return self._saved(session, vault)

    def expand(self, ref: str, new_size_gb: int) -> VaultPurchase:
        """Expand Capacity: grow a vault; a yearly/monthly vault pays for the rest of its subscription."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            orders = self._grow(session, vault, new_size_gb)
            return VaultPurchase(vault=self._saved(session, vault).vault, orders=orders)

    def _grow(self, session: Session, vault: Vault, new_size_gb: int) -> builtins.list[OrderView]:
        ensure_vault_allows_expansion(vault.name, vault.status)
        vtype = vault_type(vault.object_type)
        if new_size_gb <= vault.size_gb:
            raise CbrError(Codes.VAULT_EXPANSION_FAILED,
                           f"The new capacity must be larger than the current {vault.size_gb:,} GB; "
                           "capacity can only be expanded.")
        check_capacity(vtype, new_size_gb)
        orders = []
        if vault.charging_mode == ChargingMode.PRE_PAID:
            now = self.ctx.clock.now()
            remaining = (vault.expires_at - now).total_seconds() / 86400 if vault.expires_at else 0
            per_gb = quote_vault(object_type=vtype.object_type, protect_type=ProtectType(vault.protect_type),
                                 consistent_level=ConsistentLevel(vault.consistent_level),
                                 multi_az=vault.is_multi_az, size_gb=1,
                                 charging_mode=ChargingMode.PRE_PAID, period_type=PeriodType.MONTH,
                                 period_num=1).monthly_per_gb
            amount = expansion_amount(per_gb, new_size_gb - vault.size_gb, remaining)
            order = charge(session, self.ctx, int(amount * 100), kind="expand", vault_id=vault.id,
                           refusal=Codes.VAULT_EXPANSION_FAILED,
                           detail={"from_size": vault.size_gb, "to_size": new_size_gb})
            orders.append(order_shape(order))
        settle(session, self.ctx, vault, self.ctx.clock.now())  # the old size's hours at the old price
        vault.size_gb = new_size_gb
        return orders

    def enable_auto_bind(self, ref: str, tags: TagInput | None = None) -> VaultAnswer:
        """Enable Automatic Association, optionally only for resources with one of up to 5 tags."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            self._bind(session, vault, tags)
            return self._saved(session, vault)

    def _bind(self, session: Session, vault: Vault, tags: TagInput | None) -> None:
        rules = check_tag_filter(tags, "automatic association rule")
        ensure_vault_allows_update(vault.name, vault.status)
        refusal = refuse_resources_for(vault_type(vault.object_type), ProtectType(vault.protect_type))
        if refusal:
            raise CbrError(Codes.VAULT_CANNOT_UPDATE, f"Automatic association is unavailable. {refusal.message}")
        reason = auto_bind_refusal(vault.size_gb, allocated_gb(session, vault.id))
        if reason:
            raise CbrError(Codes.VAULT_CANNOT_UPDATE, reason)
        vault.auto_bind = True
        vault.bind_rules = [t.to_api() for t in rules]

    def modify(self, ref: str, change: VaultChange) -> VaultPurchase:
        """UpdateVault: a new name, a larger capacity, automatic association on (with its tag rules) or off,
        in one transaction: all of it, or (a refusal) none of it, money included."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            orders: builtins.list[OrderView] = []
            if change.size_gb is not None and change.size_gb != vault.size_gb:
                orders = self._grow(session, vault, change.size_gb)
            if change.name is not None:
                ensure_vault_allows_update(vault.name, vault.status)
                vault.name = check_name(change.name)
            if change.threshold is not None or change.smn_notify is not None:
                self._set_alarm(session, vault, change.threshold, change.smn_notify)
            if change.auto_bind is False:
                if change.bind_tags:
                    raise invalid("Tag rules apply only with automatic association; it is being turned off.")
                vault.auto_bind, vault.bind_rules = False, []
            elif change.auto_bind or change.bind_tags is not None:
                if not (change.auto_bind or vault.auto_bind):
                    raise invalid("A tag filter applies only when automatic association is configured.")
                self._bind(session, vault, change.bind_tags)
            return VaultPurchase(vault=self._saved(session, vault).vault, orders=orders)

    def set_alarm(self, ref: str, *, threshold: int | None = None, smn_notify: bool | None = None) -> VaultAnswer:
        """The vault's capacity alarm: notify (SMN) when `threshold` % of its capacity is used."""
        if smn_notify is None and threshold is None:
            raise invalid("Give the threshold, whether to notify, or both.")
        return VaultAnswer(vault=self.modify(ref, VaultChange(smn_notify=smn_notify, threshold=threshold)).vault)

    def batch_update(self, *, smn_notify: bool | None = None, threshold: int | None = None) -> VaultsUpdated:
        """BatchUpdateVault: the capacity alarm of every vault of the project (that the caller may update)."""
        if smn_notify is None and threshold is None:
            raise invalid("Give smn_notify, threshold or both: the capacity alarm is what a batch update changes.")
        if threshold is not None:
            check_threshold(threshold)
        now = self.ctx.clock.now()
        with self.ctx.store.write() as session:
            vaults = session.exec(select(Vault).where(Vault.project_id == self.ctx.project_id,
                                                      *lookups.visible_clause(Vault, self.ctx))
                                  .order_by(col(Vault.created_at), col(Vault.id))).all()
            updated = []
            for vault in vaults:
                if not self.ctx.principal.may(Action.VAULT_UPDATE, vault.enterprise_project_id):
                    continue
                self._set_alarm(session, vault, threshold, smn_notify)
                vault.updated_at = now
                updated.append(vault.id)
            return VaultsUpdated(updated_vaults_id=updated)

    def _set_alarm(self, session: Session, vault: Vault, threshold: int | None, smn_notify: bool | None) -> None:
        """A new threshold or notification setting; one that finds the vault past it already notifies now."""
        was = notices.notifying_past(vault)
        vault.threshold = vault.threshold if threshold is None else check_threshold(threshold)
        vault.smn_notify = vault.smn_notify if smn_notify is None else smn_notify
        session.add(vault)
        notices.alarm_changed(session, vault, was, self.ctx.clock.now())

    def disable_auto_bind(self, ref: str) -> VaultAnswer:
        """Disable Automatic Association; resources already associated stay."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            vault.auto_bind = False
            vault.bind_rules = []
            return self._saved(session, vault)

    # --- tags -------------------------------------------------------------------------------------------

    def add_tags(self, ref: str, tags: TagInput) -> VaultAnswer:
        """Add tags to a vault; an existing key gets the new value. At most 10 tags per vault."""
        checked = check_tags(tags)
        if not checked:
            raise invalid("Give at least one tag to add.")
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            ensure_vault_allows_update(vault.name, vault.status)
            existing = {t.key: t for t in session.exec(select(VaultTag).where(VaultTag.vault_id == vault.id))}
            keys = set(existing) | {t.key for t in checked}
            if len(keys) > TAGS_PER_VAULT:
                raise CbrError(Codes.TAG_QUOTA, f"A vault can have at most {TAGS_PER_VAULT} tags; {vault.name} "
                                                f"has {len(existing)} and this would make {len(keys)}.")
            for tag in checked:
                row = existing.get(tag.key) or VaultTag(vault_id=vault.id, key=tag.key)
                row.value = tag.value
                session.add(row)
            return self._saved(session, vault)

    def remove_tags(self, ref: str, keys: Sequence[str]) -> VaultAnswer:
        """Delete tags by key; a key the vault does not have is reported (BackupService.6601)."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_UPDATE)
            existing = {t.key for t in session.exec(select(VaultTag).where(VaultTag.vault_id == vault.id))}
            missing = [k for k in keys if k not in existing]
            if missing:
                raise CbrError(Codes.TAG_KEY_NOT_FOUND, f"The vault {vault.name} has no tag {', '.join(missing)}.")
            session.exec(delete(VaultTag).where(col(VaultTag.vault_id) == vault.id, col(VaultTag.key).in_(list(keys))))
            return self._saved(session, vault)

    # --- deleting -------------------------------------------------------------------------------------

    def delete(self, ref: str) -> VaultRemoval:
        """Delete a pay-per-use vault with all its backups (its objects go once the deletion has committed; a
        store that does not answer empties later, see `removal.remove_stored`)."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_DELETE)
            if vault.charging_mode == ChargingMode.PRE_PAID:
                raise CbrError(Codes.VAULT_CANNOT_DELETE,
                               f"{vault.name} is billed yearly/monthly; such a vault is unsubscribed, not deleted.")
            settle(session, self.ctx, vault, self.ctx.clock.now())  # the last whole hours are charged
            result = self._remove(session, vault)
        result.objects_left = remove_stored(self.ctx, result.vault_id)
        return result

    def unsubscribe(self, ref: str) -> VaultRemoval:
        """Unsubscribe a yearly/monthly vault: it is deleted with its backups and the unused share refunded."""
        with self.ctx.store.write() as session:
            vault = lookups.vault(session, self.ctx, ref, for_update=True, action=Action.VAULT_DELETE)
            refund = self._refund(session, vault)  # refused first for a pay-per-use vault
            if vault.status != VaultStatus.FROZEN:  # an expired vault may be unsubscribed while it is frozen
                ensure_vault_allows_delete(vault.name, vault.status)
            result = remove_vault(session, self.ctx, vault)
            order = charge(session, self.ctx, -int(Decimal(refund.refund) * 100), kind="unsubscribe",
                           vault_id=vault.id, refusal=Codes.VAULT_CANNOT_DELETE, detail=refund.model_dump())
            result.orders = [order_shape(order)]
        result.objects_left = remove_stored(self.ctx, result.vault_id)
        return result

    def unsubscription(self, ref: str) -> Refund:
        """What unsubscribing would refund now, and how (the Unsubscribe dialog states it before asking)."""
        with self.ctx.store.read() as session:
            return self._refund(session, lookups.vault(session, self.ctx, ref))

    def _refund(self, session: Session, vault: Vault) -> Refund:
        """What unsubscribing refunds (Huawei's rules), refused for a pay-per-use vault (6111)."""
        if vault.charging_mode != ChargingMode.PRE_PAID:
            raise CbrError(Codes.VAULT_CANNOT_DELETE, f"{vault.name} is pay-per-use; delete it instead.")
        paid = Decimal(sum(o.amount_cents for o in session.exec(select(Order).where(
            Order.vault_id == vault.id, col(Order.kind).in_(("new", "expand", "renew")))))) / 100
        refund = unsubscription_refund(
            paid, as_utc(vault.created_at), as_utc(vault.expires_at or vault.created_at), self.ctx.clock.now(),
            PeriodType(vault.period_type or PeriodType.MONTH), vault.period_num or 1)
        return Refund(paid=f"{paid:.2f}", consumed=str(refund.consumed), handling_fee=str(refund.handling_fee),
                      refund=str(refund.amount), days_used=refund.days_used, days_subscribed=refund.days_subscribed,
                      five_day_unconditional=refund.unconditional)

    def _remove(self, session: Session, vault: Vault) -> VaultRemoval:
        ensure_vault_allows_delete(vault.name, vault.status)
        return remove_vault(session, self.ctx, vault)

    def _saved(self, session: Session, vault: Vault) -> VaultAnswer:
        vault.updated_at = self.ctx.clock.now()
        session.add(vault)
        session.flush()
        catalog.record_vault(session, self.ctx.objects(vault), vault)
        return VaultAnswer(vault=vault_views(session, [vault])[0])
