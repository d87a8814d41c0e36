"""The account: balance and top-ups, orders, regions and their projects, enterprise projects."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import col, func, select

from cbr_tui.cloud.regions import ON_PREMISES
from cbr_tui.domain.clock import api_time
from cbr_tui.domain.errors import Codes, invalid
from cbr_tui.domain.numbers import parse_decimal
from cbr_tui.domain.permissions import DEFAULT_ENTERPRISE_PROJECT, Action
from cbr_tui.domain.pricing import CURRENCY, check_top_up
from cbr_tui.domain.rules import check_description, check_name, check_paging
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.ledger import charge, money, order_shape
from cbr_tui.services.views.accounts import (
    AccountAnswer,
    AccountProject,
    AccountView,
    EnterpriseProjectAnswer,
    EnterpriseProjectList,
    EnterpriseProjectView,
    FeaturesView,
    FeatureView,
    OfferedEnterpriseProjects,
    RegionList,
    RegionView,
    ZoneView,
)
from cbr_tui.services.views.billing import OrderPage
from cbr_tui.store.models import Account, AvailabilityZone, EnterpriseProject, Order, Project, Region, Vault
from cbr_tui.v3.features import CbrFeatures


class AccountService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def show(self) -> AccountAnswer:
        with self.ctx.store.read() as session:
            account = session.get(Account, self.ctx.account_id)
            assert account is not None
            projects = session.exec(
                select(Project).where(Project.account_id == account.id, Project.region_id != ON_PREMISES.id)
                .order_by(Project.region_id)
            ).all()
            return AccountAnswer(account=AccountView(
                id=account.id, name=account.name, user_id=account.user_id, user_name=account.user_name,
                balance=money(account.balance_cents), currency=CURRENCY, region=self.ctx.region_id,
                project_id=self.ctx.project_id,
                projects=[AccountProject(id=p.id, name=p.name, region_id=p.region_id) for p in projects]))

    def top_up(self, amount: str | Decimal) -> AccountAnswer:
        """Add money to the balance (Step 1 of the seed: top up the account)."""
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        value = amount if isinstance(amount, Decimal) else parse_decimal(str(amount), "the top-up amount")
        check_top_up(value)
        with self.ctx.store.write() as session:
            charge(session, self.ctx, -int(value * 100), kind="top_up", vault_id=None,
                   refusal=Codes.INVALID_PARAMETER, detail={})
        return self.show()

    def orders(self, limit: int = 50, offset: int = 0) -> OrderPage:
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)  # the account's billing is its administrators'
        check_paging(limit, offset)
        with self.ctx.store.read() as session:
            where = Order.account_id == self.ctx.account_id
            rows = session.exec(
                select(Order).where(where).order_by(col(Order.created_at).desc(), Order.id).offset(offset).limit(limit)
            ).all()
            total = session.exec(select(func.count()).select_from(Order).where(where)).one()
            names = dict(session.exec(select(Vault.id, Vault.name).where(
                col(Vault.id).in_({o.vault_id for o in rows if o.vault_id}))).all())
            orders = [order_shape(o).model_copy(update={"vault_name": names.get(o.vault_id or "")}) for o in rows]
            return OrderPage(orders=orders, count=total)

    def regions(self) -> RegionList:
        with self.ctx.store.read() as session:
            regions = session.exec(select(Region).where(Region.id != ON_PREMISES.id)
                                   .order_by(col(Region.position))).all()
            zones = session.exec(select(AvailabilityZone).order_by(AvailabilityZone.id)).all()
            projects = {
                p.region_id: p.id
                for p in session.exec(select(Project).where(Project.account_id == self.ctx.account_id)).all()
            }
            return RegionList(regions=[
                RegionView(id=r.id, name=r.name, project_id=projects.get(r.id), availability_zones=[
                    ZoneView(id=z.id, name=z.name, accepts_new_associations=z.accepts_new_associations)
                    for z in zones if z.region_id == r.id])
                for r in regions])

    def features(self) -> FeaturesView:
        """What CBR offers in this region: replication to the other regions, and Multi-AZ vaults where the
        region has two availability zones or more."""
        regions = self.regions().regions
        here = next(r for r in regions if r.id == self.ctx.region_id)
        others = [r.id for r in regions if r.id != here.id]
        return FeaturesView.model_validate({
            "replication.enable": bool(others), "replication.source_region": here.id,
            "replication.destination_regions": others, "replication.destination_dgw_regions": [],
            "features.backup_double_az": len(here.availability_zones) > 1})

    def feature(self, key: str) -> FeatureView:
        """One feature by its API key; a key CBR does not have is refused with the keys it has."""
        wire = self.features().wire()
        if key not in wire:
            raise invalid(f"CBR has no feature {key!r}; its features are {', '.join(CbrFeatures.keys())}.")
        return FeatureView(key=key, value=wire[key])

    def enterprise_projects(self) -> EnterpriseProjectList:
        with self.ctx.store.read() as session:
            rows = list(session.exec(
                select(EnterpriseProject).where(EnterpriseProject.account_id == self.ctx.account_id)
                .order_by(col(EnterpriseProject.created_at), col(EnterpriseProject.name))
            ).all())
            if all(row.id != DEFAULT_ENTERPRISE_PROJECT for row in rows):  # a registered account's default
                rows.insert(0, lookups.enterprise_project(session, self.ctx, DEFAULT_ENTERPRISE_PROJECT))
            return EnterpriseProjectList(enterprise_projects=[_ep_shape(e) for e in rows], count=len(rows))

    def offered_enterprise_projects(self) -> OfferedEnterpriseProjects:
        """The enterprise projects the purchase wizard offers the caller: all of them to administrators, those
        where they hold a grant that allows buying to others, none (the vault goes to `default`) to a user
        whose CBR permissions were granted in IAM only (the seed's note on CBR FullAccess)."""
        offered = self.ctx.principal.offered_enterprise_projects()
        rows = self.enterprise_projects().enterprise_projects
        if offered is not None:
            rows = [row for row in rows if row.id in offered]
        note = None if rows else ("Enterprise projects are not offered: your CBR permissions were granted in IAM, "
                                  "not in an enterprise project, so the vault goes to default.")
        return OfferedEnterpriseProjects(enterprise_projects=rows, count=len(rows), note=note)

    def create_enterprise_project(self, name: str, description: str | None = None,
                                  project_id: str | None = None) -> EnterpriseProjectAnswer:
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        name = check_name(name, "enterprise project")
        description = check_description(description)
        with self.ctx.store.write() as session:
            exists = session.exec(select(EnterpriseProject).where(
                EnterpriseProject.account_id == self.ctx.account_id, EnterpriseProject.name == name)).first()
            if exists is not None:
                raise invalid(f"An enterprise project named {name!r} already exists.")
            row = EnterpriseProject(id=project_id or self.ctx.ids.uuid(), account_id=self.ctx.account_id,
                                    name=name, description=description, created_at=self.ctx.clock.now())
            session.add(row)
            return EnterpriseProjectAnswer(enterprise_project=_ep_shape(row))


def _ep_shape(row: EnterpriseProject) -> EnterpriseProjectView:
    return EnterpriseProjectView(id=row.id, name=row.name, description=row.description,
                                 created_at=api_time(row.created_at))
