"""FAB's own user and role screens made SIGAP's: deletes only by POST with the CSRF token, and values read
the office's way (Ya/Tidak, roles by name, office time). Same view names, so the same permissions.

The security rules are app/security/manager.py's; the screens are here so that layers point one way.
config.py chooses this manager (FAB_SECURITY_MANAGER_CLASS).
"""

from flask_appbuilder.security.views import RoleModelView, UserDBModelView

from app.security.manager import SigapSecurityManager
from app.security.post_only import PostOnlyChanges
from app.views.base import OfficeFormatting


class ScreenedSecurityManager(SigapSecurityManager):
    userdbmodelview = type("UserDBModelView", (PostOnlyChanges, OfficeFormatting, UserDBModelView), {})
    rolemodelview = type("RoleModelView", (PostOnlyChanges, OfficeFormatting, RoleModelView), {})
