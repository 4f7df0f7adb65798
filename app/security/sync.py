"""Idempotent sync of the role table (app/security/roles.py) into Flask-AppBuilder's tables."""

from app.security.permissions import MENU_ACCESS
from app.security.roles import ROLES


def menu_access_for(perms, menu_entries) -> set[tuple[str, str]]:
    """Menu items (and their categories) a role sees: those whose page it may open."""
    granted = set()
    for entry in menu_entries:
        if (entry.action, entry.resource) in perms:
            granted.add((MENU_ACCESS, entry.name))
            granted.add((MENU_ACCESS, entry.category))
    return granted


def sync_roles(security_manager, menu_entries) -> None:
    """Make every listed role hold exactly its permissions, adding and removing as needed."""
    for role_name, perms in ROLES.items():
        role = security_manager.find_role(role_name) or security_manager.add_role(role_name)
        wanted_pairs = set(perms) | menu_access_for(perms, menu_entries)
        wanted = {security_manager.add_permission_view_menu(a, r) for a, r in wanted_pairs}
        for permission_view in list(role.permissions):
            if permission_view not in wanted:
                security_manager.del_permission_role(role, permission_view)
        for permission_view in wanted:
            security_manager.add_permission_role(role, permission_view)
