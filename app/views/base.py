"""What every SIGAP screen and endpoint shares: permissions on a named resource, and sector scope."""

from flask_appbuilder import ModelRestApi, ModelView

from app.security.permissions import METHOD_PERMISSIONS
from app.security.scope import OutOfScope, SectorScope, ensure_in_scope


class GuardedView(ModelView):
    """A CRUD screen whose permissions are the four actions on ``class_permission_name``.

    Related-record choices in its forms are limited by ``*_form_query_rel_fields``.
    """

    method_permission_name = METHOD_PERMISSIONS
    page_size = 25


class GuardedApi(ModelRestApi):
    """A REST resource under the same permissions as its screen; the web session also logs it in.

    A record pointing at another sector's application is refused with 422, before anything is written.
    """

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = True
    page_size = 25

    def pre_add(self, item):
        ensure_in_scope(item)

    def pre_update(self, item):
        ensure_in_scope(item)

    def post_headless(self):
        try:
            return super().post_headless()
        except OutOfScope as error:
            return self.response_422(message={error.field: [str(error)]})

    def put_headless(self, pk):
        try:
            return super().put_headless(pk)
        except OutOfScope as error:
            self.datamodel.session.rollback()
            return self.response_422(message={error.field: [str(error)]})


def sector_scope(column: str = "sector_id") -> list:
    """Base filters limiting a technical team to its own sector, through ``column``."""
    return [[column, SectorScope, None]]
