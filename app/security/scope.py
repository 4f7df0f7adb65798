"""Row-level scope: a technical team sees only its own sector, in every screen and endpoint.

Views and APIs state it declaratively with ``base_filters = [["sector_id", SectorScope, None]]``
(or a relationship to the application, e.g. ``["application", SectorScope, None]``); FAB applies
base filters to lists, shows, edits and deletes alike.
"""

from flask import current_app
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import false, select
from sqlalchemy.orm import RelationshipProperty

from app.errors import UserError
from app.memo import per_request
from app.security.roles import SECTOR_SCOPED_ROLES

_UNSCOPED = object()


def current_user():
    return current_app.appbuilder.sm.current_user


def is_sector_scoped(user) -> bool:
    return bool(user) and any(role.name in SECTOR_SCOPED_ROLES for role in user.roles)


def scoped_sector_id(user=None):
    """The sector a scoped user is limited to; None when scoped but unassigned; _UNSCOPED otherwise."""
    from app.models import UserSector

    user = user or current_user()
    if not is_sector_scoped(user):
        return _UNSCOPED

    def assigned_sector():
        assignment = current_app.appbuilder.session.query(UserSector).filter_by(user_id=user.id).first()
        return assignment.sector_id if assignment else None

    return per_request(f"sigap_sector_of_{user.id}", assigned_sector)


def may_see_sector(sector_id, user=None) -> bool:
    scope = scoped_sector_id(user)
    return scope is _UNSCOPED or (scope is not None and scope == sector_id)


def limit_to_scope(query, model, column: str = "sector_id"):
    """Filter a query of ``model`` to the current user's sector, through ``column``."""
    scope = scoped_sector_id()
    if scope is _UNSCOPED:
        return query
    if scope is None:
        return query.filter(false())
    attribute = getattr(model, column)
    if isinstance(attribute.property, RelationshipProperty):
        return query.filter(attribute.has(sector_id=scope))
    return query.filter(attribute == scope)


class SectorScope(BaseFilter):
    name = "Sector scope"

    def apply(self, query, value):
        return limit_to_scope(query, self.model, self.column_name)


class UserScope(BaseFilter):
    """Users a technical team may see (in a form's choices): those of its own sector, none without one."""

    name = "User scope"

    def apply(self, query, value):
        from app.models import UserSector

        scope = scoped_sector_id()
        if scope is _UNSCOPED:
            return query
        members = select(UserSector.user_id).where(UserSector.sector_id == scope)
        return query.filter(self.model.id.in_(members) if scope is not None else false())


def may_see_identity() -> bool:
    """Whether the current user sees NIK and NPWP in full (else masked to the last four digits).

    Asked once per request: a list page asks it for every row."""
    from app.security.permissions import CAN_READ, Resource

    user = current_user()
    return bool(user) and per_request(
        f"sigap_sees_identity_{user.id}",
        lambda: current_app.appbuilder.sm.has_access(CAN_READ, Resource.IDENTITY),
    )


class OutOfScope(UserError):
    """A record the user tried to attach to another sector's application."""

    status = 422
    field = "application"


def ensure_in_scope(item) -> None:
    """Refuse a new or changed record that would belong to a sector the user may not see."""
    from flask_babel import gettext

    application = getattr(item, "application", None)
    sector_id = application.sector_id if application is not None else getattr(item, "sector_id", None)
    if sector_id is not None and not may_see_sector(sector_id):
        raise OutOfScope(gettext("This application belongs to another sector."))
