"""Browser-side protections on every response: no framing by other sites, a content security policy
that allows only SIGAP's own assets, no content sniffing, no referrer leaving the site."""

from flask import current_app


def content_security_policy(config) -> str:
    # FAB's templates (init.html, lib.html, list and search widgets) carry inline scripts and style
    # attributes, hence 'unsafe-inline'; nothing is loaded from anywhere else. The step page frames a
    # document preview, which redirects to a presigned link on the S3 server.
    s3_origin = f"{'https' if config['S3_SECURE'] else 'http'}://{config['S3_ENDPOINT']}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        f"frame-src 'self' {s3_origin}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def _add_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(current_app.config))
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(flask_app) -> None:
    flask_app.after_request(_add_headers)
