"""What every SIGAP screen and endpoint shares: permissions on a named resource, and sector scope."""

from flask_appbuilder import ModelRestApi, ModelView

from app.security.permissions import METHOD_PERMISSIONS
from app.security.scope import SectorScope


class GuardedView(ModelView):
    """A CRUD screen whose permissions are the four actions on ``class_permission_name``."""

    method_permission_name = METHOD_PERMISSIONS
    page_size = 25


class GuardedApi(ModelRestApi):
    """A REST resource under the same permissions as its screen; the web session also logs it in."""

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = True
    page_size = 25


def sector_scope(column: str = "sector_id") -> list:
    """Base filters limiting a technical team to its own sector, through ``column``."""
    return [[column, SectorScope, None]]
