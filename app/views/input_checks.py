"""Bad requests refused with a 4xx naming the field, before FAB turns them into a 500 or quotes SQL
(finding 15): a JSON body that is not an object, an unreadable ``q``, a page or page size that is not a
number, a required related record left out, a value that must be unique and is taken."""

import datetime as dt
import json

import prison
from flask import abort, current_app, request
from flask_babel import gettext
from sqlalchemy import UniqueConstraint, inspect
from sqlalchemy.orm import MANYTOONE

from app.errors import BadInput, UserError
from app.views.api_messages import translated

# FAB's paging arguments on screens: page_<View>=N and psize_<View>=N (also of related lists).
PAGING_PREFIXES = ("page_", "psize_")


# FAB's endpoints that read ``q`` as rison; SIGAP's own (the archive search) take ``q`` as plain text.
RISON_ENDPOINTS = ("get_list", "get", "info")


def refuse_unreadable_api_request() -> None:
    """Before an API endpoint: a write's JSON body must be an object; ``q`` must be rison or JSON."""
    if request.method in ("POST", "PUT", "PATCH") and request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise BadInput(gettext("The request body must be a JSON object with the record's fields."), "body")
        if _endpoint() in ("post", "put"):
            _refuse_nested_records(body)
            _refuse_related_not_ids(body)
    if _endpoint() in RISON_ENDPOINTS and "q" in request.args and not _readable_query(request.args["q"]):
        raise BadInput(gettext("The q parameter cannot be read: write it in rison or JSON."), "q")
    refuse_unstorable_key()


def refuse_unstorable_key() -> None:
    """An id no database column can hold (64-bit integers) names no record: 404, not the driver's overflow."""
    pk = str((request.view_args or {}).get("pk"))
    if pk.lstrip("-").isdigit() and not -2 ** 63 <= int(pk) < 2 ** 63:
        abort(404)


def _endpoint() -> str:
    """The API method answering this request (``get_list``, ``post``, ``search``...)."""
    return (request.endpoint or "").rsplit(".", 1)[-1]


def _refuse_nested_records(body: dict) -> None:
    """A record's fields are plain values, a related record is named by its id: FAB's schema fails (500)
    on an object in their place."""
    for field, value in body.items():
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            raise NotAValue(field)


def _refuse_related_not_ids(body: dict) -> None:
    """A related record is named by its whole-number id (PostgreSQL ends a query for 'abc' in a 500)."""
    api = getattr(current_app.view_functions.get(request.endpoint or ""), "__self__", None)
    datamodel = getattr(api, "datamodel", None)
    for field, value in body.items():
        if datamodel is not None and datamodel.is_relation(field) and value is not None and not (
                isinstance(value, int) and not isinstance(value, bool) or isinstance(value, str) and value.isdigit()):
            raise NotAValue(field)


class NotAValue(UserError):
    status = 422

    def __init__(self, field: str):
        super().__init__(gettext("Not a valid choice"), field)


def _readable_query(value: str) -> bool:
    try:
        prison.loads(value)
        return True
    except Exception:  # prison raises more than its ParserException on a cut-off argument
        pass
    try:
        json.loads(value)
        return True
    except ValueError:
        return False


def refuse_unreadable_list_args() -> None:
    """Before a screen: page numbers and page sizes are whole numbers (FAB's int() would end in a 500)."""
    for name, value in request.args.items():
        if name.startswith(PAGING_PREFIXES) and not value.isdigit():
            raise BadInput(gettext("%(name)s must be a whole number.", name=name), name)
    refuse_unstorable_key()


def answer_fields(message, field: str = "body"):
    """FAB's refusal in the user's language; a bare sentence put under the field it concerns."""
    message = translated(message)
    if isinstance(message, str):
        return {"q" if "q" in request.args and request.method == "GET" else field: [message]}
    return {("body" if key == "_schema" else key): value for key, value in message.items()} if isinstance(
        message, dict) else message


class AlreadyRecorded(UserError):
    status = 409

    def __init__(self, field: str):
        super().__init__(gettext("Already recorded: another record has this value."), field)


class RequiredMissing(UserError):
    status = 422

    def __init__(self, field: str):
        super().__init__(gettext("Missing data for required field."), field)


def ensure_storable(item, session) -> None:
    """Refuse, naming the field, what the database would refuse with an IntegrityError quoting SQL; store
    a time sent with its offset as the UTC moment it names."""
    _times_as_utc(item)
    _ensure_required_related(item)
    _ensure_unique(item, session)


def _times_as_utc(item) -> None:
    """The API's times are UTC without an offset. One sent with its offset ("09:00+07:00") is kept as the
    moment it names (02:00): SQLite's driver dropped the offset and stored 09:00 as UTC."""
    state = inspect(item)
    for attribute in state.mapper.column_attrs:
        value = state.dict.get(attribute.key)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            setattr(item, attribute.key, value.astimezone(dt.timezone.utc).replace(tzinfo=None))


def _ensure_required_related(item) -> None:
    state = inspect(item)  # read from the loaded state: a lazy load would flush the half-made record
    for relationship in state.mapper.relationships:
        if relationship.direction is not MANYTOONE or any(c.nullable for c in relationship.local_columns):
            continue
        ids = [state.dict.get(state.mapper.get_property_by_column(c).key) for c in relationship.local_columns]
        if state.dict.get(relationship.key) is None and all(value is None for value in ids):
            raise RequiredMissing(relationship.key)


def _ensure_unique(item, session) -> None:
    state = inspect(item)
    mapper = state.mapper
    for columns in _unique_column_sets(mapper.local_table):
        keys = [mapper.get_property_by_column(column).key for column in columns]
        values = [getattr(item, key) for key in keys]
        if any(value is None for value in values):
            continue
        with session.no_autoflush:
            query = session.query(mapper.class_).filter(*(getattr(mapper.class_, key) == value
                                                          for key, value in zip(keys, values)))
            if state.identity is not None:
                query = query.filter(*(column != value for column, value in zip(mapper.primary_key, state.identity)))
            if session.query(query.exists()).scalar():
                raise AlreadyRecorded(_field_of(mapper, keys[-1]))


def _unique_column_sets(table) -> list[list]:
    singles = [[column] for column in table.columns if column.unique]
    composites = [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    return singles + composites


def _field_of(mapper, key: str) -> str:
    """A foreign key column is sent as its relationship (``application`` for ``application_id``)."""
    for relationship in mapper.relationships:
        if any(mapper.get_property_by_column(column).key == key for column in relationship.local_columns):
            return relationship.key
    return key
