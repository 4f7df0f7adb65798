"""SIGAP configuration: every setting has one name, read here from the environment.

Embedded defaults need nothing set: SQLite and a generated secret under ``instance/``, and a local
S3 server (SeaweedFS) started by ``flask sigap run`` with credentials it generates there too.
Importing this module only reads the environment: the app factory (app/instance.py) creates the
instance folder and the generated secrets.
Production sets at least ``DATABASE_URL``, ``SECRET_KEY`` and the ``S3_*`` variables.

| variable            | meaning                                                    | default                      |
|---------------------|------------------------------------------------------------|------------------------------|
| SIGAP_INSTANCE_DIR  | folder for the embedded database, secret, local S3 data    | ./instance                   |
| DATABASE_URL        | SQLAlchemy URL (postgresql+psycopg2://user@host/db)        | sqlite:///instance/sigap.db  |
| SECRET_KEY          | session and token signing key (>= 32 bytes)                | generated in instance/       |
| S3_ENDPOINT         | host:port of the S3 server (MinIO in production)           | unset: local SeaweedFS       |
| S3_ACCESS_KEY       | S3 access key                                              | generated for the local one  |
| S3_SECRET_KEY       | S3 secret key                                              | generated for the local one  |
| S3_BUCKET           | bucket holding every scanned document                      | sigap-documents              |
| S3_SECURE           | "1" to use HTTPS to the S3 server                          | 0                            |
| S3_REGION           | S3 region                                                  | us-east-1                    |
| S3_TIMEOUT_SECONDS  | how long one S3 call may wait before the user gets an error | 5                           |
| LOCAL_S3_PORT       | S3 port of the local SeaweedFS server                      | 8333                         |
| MAX_UPLOAD_MB       | largest accepted upload                                    | 50                           |
| PRESIGNED_URL_SECONDS | lifetime of a preview link                               | 60                           |
| SIGAP_LANGUAGE      | default interface language (id or en)                      | id                           |
| SIGAP_INDEX_DIR     | the search index (Whoosh) of the digital archive           | instance/index               |
| HUEY_REDIS_URL      | Redis queue of the extraction worker (production)          | unset: SQLite instance/huey.db |
| OCR_LANGUAGES       | Tesseract models for scans                                 | ind+eng                      |
| OCR_WORKERS         | pages read by Tesseract at once                            | the number of cores          |
| ARCHIVE_MAX_PIXELS  | largest image (pixels per page) accepted: decompression bombs | 150000000                 |
| SEARCH_MAX_EXPANSIONS | terms one prefix (izin*) may expand to before it is cut  | 200                          |
| OFFICE_OPENS        | office hours start (local time, HH:MM), for SLA clocks     | 08:00                        |
| OFFICE_CLOSES       | office hours end (local time, HH:MM)                       | 16:00                        |
| OFFICE_WORKDAYS_PER_WEEK | 5 (Monday-Friday) or 6 (Monday-Saturday)              | 5                            |
| OFFICE_TIMEZONE     | the office's time zone (Kota Pariaman: WIB)                | Asia/Jakarta                 |
| STATUS_RATE_LIMIT   | lookups per address on the public status page and permit check (/cek/) | 10 per minute    |
| OFFICE_NETWORKS     | the office's networks ("10.0.0.0/8,192.168.0.0/16"), exempt from that per-address limit | none |
| SURVEY_RATE_LIMIT   | answers per address on the public survey form (SKM)        | 10 per minute                |
| RATELIMIT_STORAGE_URI | where rate-limit counters live (redis://... for gunicorn) | memory://                    |
| SIGAP_PUBLIC_URL    | address the public reaches SIGAP by (QR codes, printed and sent links) | http://127.0.0.1:5000 |
| PERMIT_REMINDER_WORKING_DAYS | working days before expiry that reminders start  | 20                           |
| SMTP_HOST           | mail server for e-mails to applicants                      | unset: e-mail not sent       |
| SMTP_PORT           | its port                                                   | 587                          |
| SMTP_STARTTLS       | "1" to upgrade the connection with STARTTLS                | 1                            |
| SMTP_USERNAME       | login at the mail server (none: no login)                  | unset                        |
| SMTP_PASSWORD       | its password                                               | unset                        |
| SMTP_SENDER         | From: of the e-mails                                       | SIGAP <noreply@localhost>    |
| WHATSAPP_GATEWAY_URL | WhatsApp gateway endpoint: POST {"to", "message"} as JSON | unset: WhatsApp not sent     |
| WHATSAPP_GATEWAY_TOKEN | sent as "Authorization: Bearer <token>" to the gateway  | unset                        |
| NOTIFY_TIMEOUT_SECONDS | how long one send may wait for the server or gateway    | 10                           |
| NOTIFY_MAX_ATTEMPTS | attempts before a message is marked failed                 | 8                            |
| NOTIFY_RETRY_SECONDS | first retry delay; doubled after each failure (max 6 h)   | 60                           |
| SESSION_COOKIE_SECURE | "1" when served over HTTPS: cookies sent over HTTPS only | 0                          |
| AUTH_RATE_LIMIT     | login attempts per address (web and API)                   | 5 per 40 second              |
| AUTH_LOCKOUT_FAILURES | failed logins that lock an account                       | 5                            |
| AUTH_LOCKOUT_MINUTES | how long a locked account stays locked (and the counting window) | 15                    |
| PASSWORD_MIN_LENGTH | shortest password accepted (also: not the username, not common) | 10                      |
| STATUS_LOCKOUT_FAILURES | wrong NIK digits for one registration number before it locks | 5                      |
| STATUS_LOCKOUT_MINUTES | how long a registration number stays locked on the status page | 30                    |
| S3_OBJECT_LOCK_DAYS | WORM retention of stored originals (S3 object lock), 0 = off | 0                          |
| S3_OBJECT_LOCK_MODE | GOVERNANCE or COMPLIANCE                                   | GOVERNANCE                   |
"""

import os
from pathlib import Path

from flask_appbuilder.security.manager import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SIGAP_INSTANCE_DIR", BASE_DIR / "instance")).resolve()


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


# --- Flask / database ---------------------------------------------------------------------------
# Empty: generated once under INSTANCE_DIR by the app factory (app/instance.py).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'sigap.db'}")
SQLALCHEMY_TRACK_MODIFICATIONS = False
# A connection the server dropped (restart, pg_terminate_backend) is replaced, not handed to a request.
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "50"))
# Werkzeug refuses larger bodies before the view runs; the margin covers the multipart envelope.
MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024
WTF_CSRF_ENABLED = True

# --- Object storage (S3 through the MinIO SDK) ------------------------------------------------------
LOCAL_S3_PORT = int(os.environ.get("LOCAL_S3_PORT", "8333"))
S3_ENDPOINT = os.environ.get("S3_ENDPOINT") or f"127.0.0.1:{LOCAL_S3_PORT}"
# True when no S3 server is configured: `flask sigap run` then starts SeaweedFS on loopback.
S3_LOCAL = not os.environ.get("S3_ENDPOINT")
# Empty with the local server: generated under INSTANCE_DIR by the app factory, like SECRET_KEY.
S3_ACCESS_KEY = os.environ.get("S3_ACCESS_KEY", "")
S3_SECRET_KEY = os.environ.get("S3_SECRET_KEY", "")
S3_BUCKET = os.environ.get("S3_BUCKET", "sigap-documents")
S3_SECURE = _flag("S3_SECURE")
S3_REGION = os.environ.get("S3_REGION", "us-east-1")
S3_TIMEOUT_SECONDS = float(os.environ.get("S3_TIMEOUT_SECONDS", "5"))
S3_LOCAL_DATA_DIR = str(INSTANCE_DIR / "s3")
PRESIGNED_URL_SECONDS = int(os.environ.get("PRESIGNED_URL_SECONDS", "60"))

# --- Digital archive: extraction worker, OCR, search index (app/archive/) -----------------------
SIGAP_INDEX_DIR = os.environ.get("SIGAP_INDEX_DIR", str(INSTANCE_DIR / "index"))
HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL", "")
HUEY_SQLITE_PATH = str(INSTANCE_DIR / "huey.db")
# Tests run tasks inline (huey's immediate mode) unless they are about the worker.
HUEY_IMMEDIATE = False
OCR_LANGUAGES = os.environ.get("OCR_LANGUAGES", "ind+eng")
OCR_WORKERS = int(os.environ.get("OCR_WORKERS", "0")) or os.cpu_count() or 1
ARCHIVE_MAX_PIXELS = int(os.environ.get("ARCHIVE_MAX_PIXELS", "150000000"))
SEARCH_MAX_EXPANSIONS = int(os.environ.get("SEARCH_MAX_EXPANSIONS", "200"))
# --- Working time (app/workflow/calendar.py) ----------------------------------------------------
OFFICE_OPENS = os.environ.get("OFFICE_OPENS", "08:00")
OFFICE_CLOSES = os.environ.get("OFFICE_CLOSES", "16:00")
OFFICE_WORKDAYS_PER_WEEK = int(os.environ.get("OFFICE_WORKDAYS_PER_WEEK", "5"))
OFFICE_TIMEZONE = os.environ.get("OFFICE_TIMEZONE", "Asia/Jakarta")
STATUS_RATE_LIMIT = os.environ.get("STATUS_RATE_LIMIT", "10 per minute")
# Counters behind one NAT address would lock each other out of the per-address limit; the per-number lock
# (STATUS_LOCKOUT_*) still holds for them. Matched against the address the server sees (no proxy header).
OFFICE_NETWORKS = os.environ.get("OFFICE_NETWORKS", "")
SURVEY_RATE_LIMIT = os.environ.get("SURVEY_RATE_LIMIT", "10 per minute")
# Flask-Limiter (shipped with FAB) counts only the limits SIGAP sets (the public status page); its
# in-memory store is per process: point RATELIMIT_STORAGE_URI at Redis when several workers serve.
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")

# --- A permit after issue and notifications to applicants (app/permits/, app/notify/) ------------
# Never the address a clerk's browser used (http://127.0.0.1:5000 at the counter): the applicant scans it at home.
SIGAP_PUBLIC_URL = os.environ.get("SIGAP_PUBLIC_URL", "http://127.0.0.1:5000")
PERMIT_REMINDER_WORKING_DAYS = int(os.environ.get("PERMIT_REMINDER_WORKING_DAYS", "20"))
SMTP_HOST = os.environ.get("SMTP_HOST", "")
SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
SMTP_STARTTLS = _flag("SMTP_STARTTLS", "1")
SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
SMTP_SENDER = os.environ.get("SMTP_SENDER", "SIGAP <noreply@localhost>")
WHATSAPP_GATEWAY_URL = os.environ.get("WHATSAPP_GATEWAY_URL", "")
WHATSAPP_GATEWAY_TOKEN = os.environ.get("WHATSAPP_GATEWAY_TOKEN", "")
NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "10"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
NOTIFY_RETRY_SECONDS = int(os.environ.get("NOTIFY_RETRY_SECONDS", "60"))

# --- Flask-AppBuilder -----------------------------------------------------------------------------
APP_NAME = "SIGAP"
APP_THEME = ""
AUTH_TYPE = AUTH_DB
AUTH_ROLE_ADMIN = "Admin"
AUTH_ROLE_PUBLIC = "Public"
# The schema is Alembic's, and permissions are registered and synced by `flask sigap init`
# (app/security/roles.py), not by FAB at every start.
FAB_CREATE_DB = False
FAB_UPDATE_PERMS = False
FAB_API_SWAGGER_UI = True
# The spec is served by SIGAP's own OpenApi view, corrected (app/views/openapi.py), with FAB's Swagger page.
FAB_ADD_OPENAPI_VIEWS = False
FAB_ADD_SECURITY_API = False
FAB_API_MAX_PAGE_SIZE = 100

# --- Language -----------------------------------------------------------------------------------
BABEL_DEFAULT_LOCALE = os.environ.get("SIGAP_LANGUAGE", "id")
LANGUAGES = {
    "id": {"flag": "id", "name": "Bahasa Indonesia"},
    "en": {"flag": "gb", "name": "English"},
}

# --- Security (app/security/) ---------------------------------------------------------------------
FAB_SECURITY_MANAGER_CLASS = "app.views.security.ScreenedSecurityManager"
# A token refusal has the body of every other refusal: {"message": ...} (app/views/openapi.py).
JWT_ERROR_MESSAGE_KEY = "message"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")
SESSION_COOKIE_HTTPONLY = True
# Per address, on the login page and the login API (Flask-Limiter, RATELIMIT_STORAGE_URI above).
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "5 per 40 second")
# Per account, in the database (app/security/guard.py), whatever address the attempts come from.
AUTH_LOCKOUT_FAILURES = int(os.environ.get("AUTH_LOCKOUT_FAILURES", "5"))
AUTH_LOCKOUT_MINUTES = int(os.environ.get("AUTH_LOCKOUT_MINUTES", "15"))
FAB_PASSWORD_COMPLEXITY_ENABLED = True
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
STATUS_LOCKOUT_FAILURES = int(os.environ.get("STATUS_LOCKOUT_FAILURES", "5"))
STATUS_LOCKOUT_MINUTES = int(os.environ.get("STATUS_LOCKOUT_MINUTES", "30"))
S3_OBJECT_LOCK_DAYS = int(os.environ.get("S3_OBJECT_LOCK_DAYS", "0"))
S3_OBJECT_LOCK_MODE = os.environ.get("S3_OBJECT_LOCK_MODE", "GOVERNANCE")
