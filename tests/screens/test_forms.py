"""The add forms of every screen read as Indonesian office forms: an optional related record's empty
choice reads "-", never wtforms' "__None"."""

import re

from app.views.base import GuardedView
from tests.web.test_workflow_screens import web

BLANK_OPTION = re.compile(r'<option[^>]*value="__None"[^>]*>([^<]*)</option>')


def add_pages(app) -> list[str]:
    return [f"{view.route_base}/add" for view in app.appbuilder.baseviews
            if isinstance(view, GuardedView) and "can_create" in view.base_permissions]


def test_an_optional_related_record_offers_a_dash_not_none(app):
    admin = web(app, "admin_test")
    blanks = {}
    for url in add_pages(app):
        page = admin.get(url).get_data(as_text=True)
        assert "__None<" not in page, url
        blanks.update({url: BLANK_OPTION.findall(page)} if BLANK_OPTION.search(page) else {})
    assert blanks, "no add form has an optional related record"
    assert all(set(texts) == {"-"} for texts in blanks.values()), blanks
    assert "/applications/add" in blanks  # the business of an application is optional
