"""The notifications CBR sent through SMN: vaults whose used capacity reached their alarm threshold (each
vault's `threshold`, with `smn_notify` on). The simulated cloud keeps them here instead of emailing them."""

from __future__ import annotations

from sqlmodel import col, select

from cbr_tui.domain.clock import api_time
from cbr_tui.domain.rules import check_paging
from cbr_tui.services import lookups
from cbr_tui.services.context import ServiceContext
from cbr_tui.services.views import NoticePage, NoticeView
from cbr_tui.store.models import Notice, Vault


class NoticeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, vault: str | None = None, *, limit: int = 50, offset: int = 0) -> NoticePage:
        """Newest first; of one vault, or of every vault of the project the caller sees."""
        check_paging(limit, offset)
        with self.ctx.store.read() as session:
            query = select(Notice).where(Notice.project_id == self.ctx.project_id)
            if vault is not None:
                query = query.where(Notice.vault_id == lookups.vault(session, self.ctx, vault).id)
            else:
                seen = select(Vault.id).where(Vault.project_id == self.ctx.project_id,
                                              *lookups.visible_clause(Vault, self.ctx))
                query = query.where(col(Notice.vault_id).in_(seen))
            count = lookups.count(session, query)
            rows = session.exec(query.order_by(col(Notice.created_at).desc(), col(Notice.id).desc())
                                .offset(offset).limit(limit)).all()
            return NoticePage(notices=[NoticeView(id=row.id or 0, vault_id=row.vault_id, vault_name=row.vault_name,
                                                  topic=row.topic, message=row.message,
                                                  created_at=api_time(row.created_at)) for row in rows],
                              count=count)
