"""How values read on every screen: office time the Indonesian way, "-" for nothing, Ya/Tidak, sizes,
working time in days and hours, and labels instead of codes.

GuardedView builds each list and show column's formatter from the column's type with these, and turns
the times of its forms from and to UTC; the custom templates use the same functions as filters.
"""

import datetime as dt

from babel.dates import format_date, format_datetime
from dateutil import parser as date_parser
from flask import current_app, url_for
from flask_babel import format_decimal, get_locale, gettext, lazy_gettext as _l
from markupsafe import Markup

from app.archive.ocr import UNAVAILABLE_ERRORS
from app.models import Application, SopStep
from app.workflow.calendar import to_local, to_utc
from app.workflow.labels import step_label as label_of

DATETIME_PATTERN = "d MMM yyyy HH.mm"
DATE_PATTERN = "d MMM yyyy"
SIZE_UNITS = ("B", "KB", "MB", "GB", "TB")
NOTHING = "-"

AUDIT_ACTIONS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "upload": _l("Uploaded"),
    "download": _l("Downloaded"),
    "preview": _l("Previewed"),
    "login": _l("Logged in"),
}


def office_time(moment) -> str:
    """A stored moment (naive UTC, or its ISO text) in office time: ``3 Des 2026 09.00``."""
    if not moment:
        return NOTHING
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return format_datetime(to_local(moment), DATETIME_PATTERN, locale=get_locale())


def office_date(day) -> str:
    return format_date(day, DATE_PATTERN, locale=get_locale()) if day else NOTHING


def yes_no(flag) -> str:
    if flag is None:
        return NOTHING
    return gettext("Yes") if flag else gettext("No")


def file_size(size) -> str:
    """Bytes as people read them: ``1,7 MB`` (the decimal mark of the user's language)."""
    if size is None:
        return NOTHING
    value, unit = float(size), 0
    while value >= 1024 and unit < len(SIZE_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{format_decimal(value, format='#,##0.#')} {SIZE_UNITS[unit]}"


def working_time(minutes) -> str:
    """Working minutes as working days and hours of the office: ``2 hari 3 jam kerja``."""
    if minutes is None:
        return NOTHING
    day_minutes = _office_day_minutes()
    days, rest = divmod(abs(int(minutes)), day_minutes)
    hours, rest_minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(gettext("%(days)s days", days=days))
    if hours:
        parts.append(gettext("%(hours)s hours", hours=hours))
    if rest_minutes or not parts:
        parts.append(gettext("%(minutes)s minutes", minutes=rest_minutes))
    return gettext("%(duration)s working time", duration=" ".join(parts))


def _office_day_minutes() -> int:
    config = current_app.config
    opens, closes = (dt.datetime.strptime(config[name], "%H:%M") for name in ("OFFICE_OPENS", "OFFICE_CLOSES"))
    return int((closes - opens).total_seconds() // 60)


def step_label(step) -> str:
    """A step by its short label, not its code ``SOP-003/fo_input``."""
    return label_of(step) if step else NOTHING


def application_link(application) -> Markup:
    """An application named in any list opens its own page (timeline, documents), not the generic record."""
    return Markup('<a href="{}">{}</a>').format(url_for("ApplicationPageView.page", pk=application.id),
                                                application.registration_number)


def registration_link(number) -> Markup:
    """The registration number in the applications list, opening the application's page."""
    return Markup('<a href="{}">{}</a>').format(url_for("ApplicationView.page_of", number=number), number)


def audit_action(action) -> str:
    return str(AUDIT_ACTIONS.get(action, action or NOTHING))


def extraction_reason(error) -> str:
    """Why a document could not be read, in the user's language when SIGAP knows the cause."""
    if error and error.startswith(UNAVAILABLE_ERRORS):
        return gettext("OCR (Tesseract with its Indonesian model) is not installed on the server, so this "
                       "scan could not be read. The Admin retries it from the home page once it is installed.")
    return error or NOTHING


def display(value):
    """Any other value: "-" for nothing, Ya/Tidak, office time, related records by their label."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime):
        return office_time(value)
    if isinstance(value, dt.date):
        return office_date(value)
    if isinstance(value, SopStep):
        return step_label(value)
    if isinstance(value, Application):
        return application_link(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(display(item)) for item in value) or NOTHING
    return value


def column_formatter(datamodel, column: str):
    """The formatter a column's type calls for (columns that are properties get ``display``)."""
    if datamodel.is_datetime(column):
        return office_time
    if datamodel.is_date(column):
        return office_date
    if datamodel.is_boolean(column):
        return yes_no
    return display


def typed_time_as_utc(typed: str):
    """A moment typed into a list's filter (office time) as stored; left as typed when it is not a time."""
    try:
        return to_utc(date_parser.parse(typed))
    except (ValueError, OverflowError):
        return typed


def form_times_to_utc(form) -> None:
    """Times typed in a form are office time; records keep UTC."""
    for field in _datetime_fields(form):
        field.data = to_utc(field.data)


def form_times_to_local(form) -> None:
    """An edit form shows the record's times in office time (saving it unchanged keeps them)."""
    for field in _datetime_fields(form):
        field.data = to_local(field.data)


def _datetime_fields(form):
    return [field for field in form if isinstance(field.data, dt.datetime)]


def register_filters(flask_app) -> None:
    for function in (office_time, office_date, yes_no, file_size, working_time):
        flask_app.add_template_filter(function)
    flask_app.add_template_filter(office_time, "wib")
