"""SIGAP's security manager: FAB's, with tokens bound to a stamp, logins audited and locked out after
repeated failures, the password policy on every path, and the login API rate-limited like the login page.

Its user and role screens are in app/views/security.py, whose manager config.py chooses.
"""

from flask import current_app, g, session as cookie_session
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_login import user_logged_in

from app import audit
from app.memo import per_request
from app.security import guard, headers, tokens
from app.security.passwords import check_form_password, check_password


class SigapSecurityManager(SecurityManager):
    # FAB's user statistics draw with Google Charts from www.gstatic.com (nothing offline, English
    # buttons): not registered, so neither its menu entry, its routes nor its permissions exist.
    userstatschartview = None

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        # FAB's user and reset forms call this with the typed password.
        current_app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = check_form_password
        flask_app = current_app._get_current_object()
        tokens.init_app()
        headers.init_app(flask_app)
        user_logged_in.connect(self._keep_stamp_in_session, flask_app)

    def _has_view_access(self, user, permission_name: str, view_name: str) -> bool:
        """The user's permissions read once per request (one query per role), not once per question: a page's
        menu alone asks some forty times."""
        granted = per_request(f"sigap_permissions_{user.id}", lambda: self.get_user_permissions(user))
        return (permission_name, view_name) in granted

    # --- tokens and sessions ---------------------------------------------------------------------

    def create_login_manager(self, app):
        login_manager = super().create_login_manager(app)
        login_manager.user_loader(self.load_session_user)
        return login_manager

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.additional_claims_loader(self._stamp_claim)
        # A token that cannot be read or is of the wrong kind is no authentication (401, as a missing or
        # expired one), with SIGAP's one refusal body (JWT_ERROR_MESSAGE_KEY in config.py).
        jwt_manager.invalid_token_loader(tokens.refused)
        jwt_manager.unauthorized_loader(tokens.refused)
        return jwt_manager

    def _stamp_claim(self, identity) -> dict:
        return {tokens.STAMP_CLAIM: tokens.current_stamp(self.session.connection(), int(identity))}

    def load_user_jwt(self, _jwt_header, jwt_data):
        user = self.load_user(jwt_data["sub"])
        if user and tokens.stamp_matches(self.session.connection(), user.id, jwt_data.get(tokens.STAMP_CLAIM)):
            g.user = user
            return user
        return None

    def load_session_user(self, pk):
        user = self.load_user(pk)
        if user and tokens.stamp_matches(self.session.connection(), user.id, cookie_session.get(tokens.SESSION_KEY)):
            return user
        return None

    def _keep_stamp_in_session(self, _sender, user, **_kwargs) -> None:
        cookie_session[tokens.SESSION_KEY] = tokens.current_stamp(self.session.connection(), user.id)

    # --- logins ----------------------------------------------------------------------------------

    def auth_user_db(self, username, password):
        known = self.find_user(username=username) or self.find_user(email=username) if username else None
        target = f"user:{known.id}" if known else f"name:{(username or '').strip().lower()}"[:255]
        connection = self.session.connection()
        if guard.is_locked(connection, guard.ACCOUNT, target):
            audit.login_failed(username, known, "locked")
            return None
        user = super().auth_user_db(username, password)
        if user is None:
            locked = guard.record_failure(self.session.connection(), guard.ACCOUNT, target, self._account_policy())
            audit.login_failed(username, known, "locked" if locked else "invalid")
        return user

    def on_user_login(self, user) -> None:
        """After FAB counted a successful login (web or API): once in the audit log, a stamp for its tokens."""
        connection = self.session.connection()
        guard.clear(connection, guard.ACCOUNT, f"user:{user.id}")
        tokens.issue_stamp(connection, user.id)
        audit.login(user)

    @staticmethod
    def _account_policy() -> guard.Policy:
        config = current_app.config
        return guard.Policy(config["AUTH_LOCKOUT_FAILURES"], config["AUTH_LOCKOUT_MINUTES"])

    @property
    def auth_rate_limit(self):
        # Read at each request, so that the limit follows the configuration (tests lower it).
        return lambda: current_app.config["AUTH_RATE_LIMIT"]

    def register_views(self):
        super().register_views()
        if self.is_auth_limited:
            login_api = next(view for view in self.appbuilder.baseviews if isinstance(view, SecurityApi))
            self.limiter.limit(self.auth_rate_limit, methods=["POST"])(login_api.blueprint)

    # --- passwords -------------------------------------------------------------------------------

    def add_user(self, username, first_name, last_name, email, role=None, password="", hashed_password="",
                 **kwargs):
        if password and not hashed_password:
            check_password(password, username)
        return super().add_user(username, first_name, last_name, email, role, password=password,
                                hashed_password=hashed_password, **kwargs)

    def reset_password(self, userid, password):
        user = self.get_user_by_id(userid)
        check_password(password, user.username if user else None)
        super().reset_password(userid, password)
