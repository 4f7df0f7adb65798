"""FAB's security manager as SIGAP uses it."""

from flask_appbuilder.security.sqla.manager import SecurityManager


class SigapSecurityManager(SecurityManager):
    # FAB's user statistics draw with Google Charts from www.gstatic.com (nothing offline, English
    # buttons): not registered, so neither its menu entry, its routes nor its permissions exist.
    userstatschartview = None
