"""The account: balance and top-ups, orders, regions and their projects, enterprise projects."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, col, select

from cbr_tui.domain.clock import api_time
from cbr_tui.domain.errors import CbrError, ErrorSpec, invalid
from cbr_tui.domain.permissions import DEFAULT_ENTERPRISE_PROJECT, Action
from cbr_tui.domain.pricing import CURRENCY
from cbr_tui.domain.rules import check_description, check_name, check_paging
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.store.models import Account, AvailabilityZone, EnterpriseProject, Order, Project, Region

TOP_UP_MAX = Decimal("1000000")


def money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def charge(session: Session, ctx: ServiceContext, amount_cents: int, *, kind: str, vault_id: str | None,
           refusal: ErrorSpec, detail: dict[str, Any]) -> Order:
    """Pay an order from the balance (a negative amount refunds); refuses when the balance is short."""
    account = session.get(Account, ctx.account_id, with_for_update=not ctx.store.is_sqlite)
    assert account is not None
    if amount_cents > account.balance_cents:
        raise CbrError(
            refusal,
            f"The order costs {money(amount_cents)} {CURRENCY} but the balance is "
            f"{money(account.balance_cents)} {CURRENCY}; top up the account first.",
        )
    account.balance_cents -= amount_cents
    session.add(account)
    order = Order(id=ctx.ids.uuid(), account_id=ctx.account_id, project_id=ctx.project_id, vault_id=vault_id,
                  kind=kind, amount_cents=amount_cents, created_at=ctx.clock.now(), detail=detail)
    session.add(order)
    return order


def order_shape(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "kind": order.kind,
        "vault_id": order.vault_id,
        "amount": money(order.amount_cents),
        "currency": CURRENCY,
        "created_at": api_time(order.created_at),
        "detail": order.detail,
    }


class AccountService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def show(self) -> dict[str, Any]:
        with self.ctx.store.read() as session:
            account = session.get(Account, self.ctx.account_id)
            assert account is not None
            projects = session.exec(
                select(Project).where(Project.account_id == account.id).order_by(Project.region_id)
            ).all()
            return {
                "account": {
                    "id": account.id,
                    "name": account.name,
                    "user_id": account.user_id,
                    "user_name": account.user_name,
                    "balance": money(account.balance_cents),
                    "currency": CURRENCY,
                    "region": self.ctx.region_id,
                    "project_id": self.ctx.project_id,
                    "projects": [{"id": p.id, "name": p.name, "region_id": p.region_id} for p in projects],
                }
            }

    def top_up(self, amount: str | Decimal | float) -> dict[str, Any]:
        """Add money to the balance (Step 1 of the seed: top up the account)."""
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise invalid(f"The top-up amount must be a number such as 100 or 99.50, not {amount!r}.") from None
        if not value.is_finite() or value <= 0 or value > TOP_UP_MAX or value != value.quantize(Decimal("0.01")):
            raise invalid(f"A top-up is between 0.01 and {TOP_UP_MAX:,} {CURRENCY}, in cents; {amount} is not.")
        with self.ctx.store.write() as session:
            account = session.get(Account, self.ctx.account_id, with_for_update=not self.ctx.store.is_sqlite)
            assert account is not None
            cents = int(value * 100)
            account.balance_cents += cents
            session.add(account)
            session.add(Order(id=self.ctx.ids.uuid(), account_id=account.id, project_id=self.ctx.project_id,
                              vault_id=None, kind="top_up", amount_cents=-cents, created_at=self.ctx.clock.now(),
                              detail={}))
        return self.show()

    def orders(self, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        self.ctx.principal.require(Action.MANAGE_ACCOUNT)  # the account's billing is its administrators'
        check_paging(limit, offset)
        with self.ctx.store.read() as session:
            query = select(Order).where(Order.account_id == self.ctx.account_id)
            rows = session.exec(
                query.order_by(col(Order.created_at).desc(), Order.id).offset(offset).limit(limit)
            ).all()
            return {"orders": [order_shape(o) for o in rows], "count": len(rows)}

    def regions(self) -> dict[str, Any]:
        with self.ctx.store.read() as session:
            regions = session.exec(select(Region).order_by(Region.position)).all()
            zones = session.exec(select(AvailabilityZone).order_by(AvailabilityZone.id)).all()
            projects = {
                p.region_id: p.id
                for p in session.exec(select(Project).where(Project.account_id == self.ctx.account_id)).all()
            }
            return {
                "regions": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "project_id": projects.get(r.id),
                        "availability_zones": [
                            {"id": z.id, "name": z.name, "accepts_new_associations": z.accepts_new_associations}
                            for z in zones if z.region_id == r.id
                        ],
                    }
                    for r in regions
                ]
            }

    def enterprise_projects(self) -> dict[str, Any]:
        with self.ctx.store.read() as session:
            rows = list(session.exec(
                select(EnterpriseProject).where(EnterpriseProject.account_id == self.ctx.account_id)
                .order_by(EnterpriseProject.created_at, EnterpriseProject.name)
            ).all())
            if all(row.id != DEFAULT_ENTERPRISE_PROJECT for row in rows):  # a registered account's default
                rows.insert(0, lookups.enterprise_project(session, self.ctx, DEFAULT_ENTERPRISE_PROJECT))
            return {"enterprise_projects": [_ep_shape(e) for e in rows], "count": len(rows)}

    def offered_enterprise_projects(self) -> dict[str, Any]:
        """The enterprise projects the purchase wizard offers the caller: all of them to administrators, those
        where they hold a grant that allows buying to others, none (the vault goes to `default`) to a user
        whose CBR permissions were granted in IAM only (the seed's note on CBR FullAccess)."""
        offered = self.ctx.principal.offered_enterprise_projects()
        rows = self.enterprise_projects()["enterprise_projects"]
        if offered is not None:
            rows = [row for row in rows if row["id"] in offered]
        note = None if rows else ("Enterprise projects are not offered: your CBR permissions were granted in IAM, "
                                  "not in an enterprise project, so the vault goes to default.")
        return {"enterprise_projects": rows, "count": len(rows), "note": note}

    def create_enterprise_project(self, name: str, description: str | None = None,
                                  project_id: str | None = None) -> dict[str, Any]:
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
            return {"enterprise_project": _ep_shape(row)}


def _ep_shape(row: EnterpriseProject) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "description": row.description,
            "created_at": api_time(row.created_at)}
