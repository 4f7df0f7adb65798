"""The menu offers each role only pages it may open: no entry leads to "Akses ditolak"."""

import re

import pytest

from app.security.roles import ROLES
from tests.conftest import PASSWORD
from tests.security.test_role_matrix import ALL_ROLES, username_for

MENU_LINK = re.compile(r'<li>\s*<a tabindex="-1" href="(/[^"]*)"')


def menu_links(page: str) -> list[str]:
    return [link for link in MENU_LINK.findall(page) if not link.startswith(("/logout", "/lang/"))]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_menu_entry_opens_for_the_role(app, role):
    client = app.test_client()
    client.post("/login/", data={"username": username_for(role), "password": PASSWORD})
    links = menu_links(client.get("/").get_data(as_text=True))
    assert links, "the role sees no menu at all"
    refused = [link for link in links if client.get(link).status_code != 200]
    assert refused == []


def test_a_reader_of_documents_is_not_offered_the_upload_forms(app):
    assert ("can_create", "Document") not in ROLES["Pimpinan"]
    client = app.test_client()
    client.post("/login/", data={"username": username_for("Pimpinan"), "password": PASSWORD})
    links = menu_links(client.get("/").get_data(as_text=True))
    assert "/documents/list/" in links
    assert not {"/documents/upload/form", "/archive/upload/"} & set(links)
