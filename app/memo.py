"""Values built once per request (app context) and then reused: the inbox reads the same SOP flow and
office calendar for every open file, a list page asks every row whether NIK may be shown. Each request
starts afresh, so no process serves stale data."""

from flask import g, has_app_context


def per_request(key: str, build):
    """``build()``, once per request under ``key``; outside an app context, every time."""
    if not has_app_context():
        return build()
    if key not in g:
        setattr(g, key, build())
    return getattr(g, key)


def forget(key: str) -> None:
    if has_app_context():
        g.pop(key, None)
