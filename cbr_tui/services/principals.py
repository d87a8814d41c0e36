"""Who a signed-in IAM user is to the services: the `Principal` their groups' grants make."""

from sqlmodel import Session, col, select

from cbr_tui.domain.permissions import ADMIN_GROUP, Grant, Principal
from cbr_tui.store.models import IamGrant, IamGroup, IamMembership, IamUser


def principal_of(session: Session, user: IamUser) -> Principal:
    """What `user` may do: everything in the admin group, else the grants of their groups."""
    rows = session.exec(
        select(IamGroup, IamGrant).join(IamMembership, col(IamMembership.group_id) == IamGroup.id)
        .join(IamGrant, col(IamGrant.group_id) == IamGroup.id, isouter=True)
        .where(IamMembership.user_id == user.id)
    ).all()
    administrator = any(group.name == ADMIN_GROUP for group, _grant in rows)
    grants = tuple(sorted(
        (Grant(grant.policy, grant.scope or None, group.name) for group, grant in rows if grant is not None),
        key=lambda g: (g.policy, g.enterprise_project_id or "", g.group),
    ))
    return Principal(user_id=user.id, user_name=user.name, administrator=administrator, grants=grants,
                     account_id=user.account_id)
