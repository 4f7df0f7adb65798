"""What every SIGAP screen and endpoint shares: permissions on a named resource, and sector scope."""

import copy
from collections.abc import Callable
from typing import Any

from flask import current_app, jsonify, request
from flask_appbuilder import AppBuilder, ModelRestApi, ModelView
from flask_appbuilder.api import expose, safe
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_appbuilder.const import (
    API_ADD_COLUMNS_RES_KEY, API_EDIT_COLUMNS_RES_KEY, API_FILTERS_RES_KEY, API_FILTERS_RIS_KEY,
    API_ORDER_COLUMN_RIS_KEY, API_ORDER_COLUMNS_RES_KEY,
)
from flask_appbuilder.exceptions import (
    InvalidColumnFilterFABException, InvalidOperationFilterFABException, InvalidOrderByColumnFABException,
)
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.models.sqla.filters import FilterContains
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy import inspect
from sqlalchemy.orm import MANYTOONE, selectinload
from wtforms import BooleanField, DateTimeField, StringField, ValidationError
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired, Optional

from app.errors import BadInput, UserError
from app.identity import normalise_digits
from app.models import Sector
from app.security.permissions import CAN_CREATE, CAN_EDIT, METHOD_PERMISSIONS
from app.security.post_only import PostOnlyChanges
from app.security.scope import _UNSCOPED, SectorScope, UserScope, ensure_in_scope, scoped_sector_id
from app.security.tokens import authenticated_by_bearer_token
from app.views.input_checks import (
    answer_fields, ensure_storable, refuse_unreadable_api_request, refuse_unreadable_list_args,
)
from app.views.formatting import NOTHING, column_formatter, form_times_to_local, form_times_to_utc, typed_time_as_utc
from app.views.api_messages import translated
from app.views.searches import literal_like, searchable


def appbuilder() -> AppBuilder:
    """The current app's AppBuilder (Flask does not declare the attribute FAB sets on it)."""
    return current_app.appbuilder  # type: ignore[attr-defined]


class OfficeFormatting:
    """Every shown column reads the office's way (local time, "-", Ya/Tidak) unless the view says otherwise;
    FAB's own user and role screens too."""

    def _init_properties(self):
        super()._init_properties()  # type: ignore[misc]
        shown = dict.fromkeys([*self.list_columns, *(self.show_columns or [])])  # type: ignore[attr-defined]
        declared_formatters: dict = getattr(self, "formatters_columns")
        self.formatters_columns = {
            **{column: column_formatter(self.datamodel, column) for column in shown},  # type: ignore[attr-defined]
            **declared_formatters,
        }


class GuardedView(PostOnlyChanges, OfficeFormatting, ModelView):
    """A CRUD screen whose permissions are the four actions on ``class_permission_name``.

    Related-record choices in its forms are those of the user's sector (scoped_choices), beside any declared
    ``*_form_query_rel_fields``.
    """

    method_permission_name = METHOD_PERMISSIONS
    page_size = 25
    # What one record is called on screen; the page titles are built from it, translated.
    record_name = None
    # Searches through relationships (app/views/searches.py): name -> filter class, each named in search_columns.
    related_searches: dict = {}

    def _init_titles(self):
        if self.record_name is not None:
            self.list_title = _l("List of %(record)s", record=self.record_name)
            self.add_title = _l("Add %(record)s", record=self.record_name)
            self.edit_title = _l("Edit %(record)s", record=self.record_name)
            self.show_title = _l("Show %(record)s", record=self.record_name)
        super()._init_titles()

    add_form_extra_fields: dict[str, Any] = {}
    edit_form_extra_fields: dict[str, Any] = {}

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.before_request(refuse_unreadable_list_args)
        return blueprint

    def _init_properties(self):
        declared: list[str] | None = getattr(self, "search_columns")
        # FAB builds filters for model columns only (and warns about others); related searches come after.
        self.search_columns = [c for c in declared or [] if c not in self.related_searches] or None
        super()._init_properties()
        if declared:
            self.search_columns = list(declared)
        self._add_related_searches()
        self._take_like_filters_literally()

    def _take_like_filters_literally(self):
        """A typed % or _ matches itself, not any text (issue 8, finding 1): FAB's LIKE filters pass it raw."""
        for by_column in (self._filters._all_filters, self._filters._search_filters):
            for choices in by_column.values():
                choices[:] = [_literal_like_filter(choice) for choice in choices]

    def _add_related_searches(self):
        filters = {**self._filters.get_search_filters()}
        for name, search in self.related_searches.items():
            filters[name] = [search(name, self.datamodel)]
        for choices in filters.values():  # "contains" first: a clerk types part of a number or name
            choices.sort(key=lambda choice: not isinstance(choice, FilterContains))
        # The search form offers _search_filters; a request's _flt_<index>_<column> is read from _all_filters.
        self._filters._search_filters = filters
        self._filters._all_filters = {**self._filters._all_filters, **filters}

    def _get_search_widget(self, form=None, exclude_cols=None, widgets=None):
        widgets = widgets or {}
        widgets["search"] = self.search_widget(
            route_base=self.route_base, form=form, exclude_cols=exclude_cols or [], filters=self._filters,
            include_cols=[column for column in self.search_columns or [] if searchable(column)],
        )
        return widgets

    def _get_list_widget(self, filters, order_column="", **kwargs):
        # NIK and NPWP are neither a filter nor an order for a role that may not see them (no oracle).
        kept = [(f, v) for f, v in zip(filters.filters, filters.values) if searchable(f.column_name)]
        filters.filters, filters.values = [f for f, _ in kept], [v for _, v in kept]
        # A time typed into a filter is office time; the search form keeps showing it as typed.
        query_filters = copy.copy(filters)
        query_filters.values = [self._filter_value(f, v) for f, v in kept]
        return super()._get_list_widget(query_filters, order_column=order_column if searchable(order_column) else "",
                                        **kwargs)

    def _filter_value(self, search, values):
        """A filter's values (one per repeated argument), times turned from office time to UTC."""
        if not self.datamodel.is_datetime(search.column_name):
            return values
        if isinstance(values, list):
            return [typed_time_as_utc(value) if isinstance(value, str) else value for value in values]
        return typed_time_as_utc(values) if isinstance(values, str) else values

    def prefill_form(self, form, pk):
        form_times_to_local(form)

    def process_form(self, form, is_created):
        form_times_to_utc(form)

    def _scope_form_choices(self):
        """A related record's choices in the search, add and edit forms: only the user's sector (finding 4)."""
        user_model = appbuilder().sm.user_model
        for attribute, columns in (("search_form_query_rel_fields", self.search_columns),
                                   ("add_form_query_rel_fields", self.add_columns),
                                   ("edit_form_query_rel_fields", self.edit_columns)):
            declared: dict | None = getattr(self, attribute)
            setattr(self, attribute, {**scoped_choices(self.datamodel, columns, user_model), **(declared or {})})

    def _init_forms(self):
        self._scope_form_choices()
        # FAB puts InputRequired on every NOT NULL column, and an unticked checkbox sends nothing:
        # a NOT NULL boolean (problem flag, working day, mandatory) could never be saved as False.
        self.add_form_extra_fields = {**self._checkboxes(self.add_columns), **self._office_times(self.add_columns),
                                      **self.add_form_extra_fields}
        self.edit_form_extra_fields = {**self._checkboxes(self.edit_columns), **self._office_times(self.edit_columns),
                                       **self.edit_form_extra_fields}
        declared_fields: dict | None = getattr(self, "search_form_extra_fields")
        self.search_form_extra_fields = {
            **{name: StringField(self.label_columns.get(name, name)) for name in self.related_searches},
            **(declared_fields or {}),
        }
        super()._init_forms()
        for form in (self.add_form, self.edit_form):
            _blank_choice_reads_nothing(form)

    def _office_times(self, columns) -> dict:
        """FAB 5 binds a date-only picker to datetime inputs, which drops the time on leaving the field:
        a plain text box in office time (WIB) instead."""
        return {
            column: DateTimeField(
                self.label_columns.get(column, column),
                format=TIME_FORMATS,
                description=self.description_columns.get(column) or _l("Office time (WIB), e.g. 2026-12-03 09:00"),
                validators=[Optional() if self.datamodel.is_nullable(column) else InputRequired()],
                widget=BS3TextFieldWidget(),
            )
            for column in columns or []
            if self.datamodel.is_datetime(column)
        }

    def _checkboxes(self, columns) -> dict:
        return {
            column: BooleanField(
                self.label_columns.get(column, column),
                description=self.description_columns.get(column, ""),
                default=self.datamodel.get_col_default(column),
            )
            for column in columns or []
            if self.datamodel.is_boolean(column) and not self.datamodel.is_nullable(column)
        }


def _blank_choice_reads_nothing(form) -> None:
    """An optional related record's empty choice reads "-": wtforms 3.3 shows an option without text by its
    value, and FAB gives it none, so every such select read "__None"."""
    for name in dir(form):
        field = getattr(form, name)
        if isinstance(field, UnboundField) and field.kwargs.get("allow_blank"):
            field.kwargs.setdefault("blank_text", NOTHING)


# How a related record belongs to a sector: the first of these its model has (a column or a relationship).
SECTOR_LINKS = ("sector_id", "application", "document")


def scoped_choices(datamodel, columns, user_model) -> dict:
    """For each related-record column, the filters limiting its choices to the current user's sector: users
    of the team's own sector, that sector's applications, documents... The filters read the user when the
    choices are queried, so one declaration serves every request (FAB reads these dicts at init)."""
    choices = {}
    for column in columns or []:
        if datamodel.is_relation(column):
            rule = _scope_rule(datamodel.get_related_model(column), user_model)
            if rule is not None:
                choices[column] = [rule]
    return choices


def _scope_rule(model, user_model) -> list | None:
    if model is user_model:
        return ["id", UserScope, None]
    if model is Sector:
        return ["id", SectorScope, None]
    attributes = inspect(model).attrs
    link = next((name for name in SECTOR_LINKS if name in attributes), None)
    return [link, SectorScope, None] if link else None


def _literal_like_filter(choice):
    literal = literal_like(type(choice))
    return choice if literal is type(choice) else literal(choice.column_name, choice.datamodel)


class EagerInterface(SQLAInterface):
    """A model's interface whose list pages load the related records they show (``eager``: relationship
    names) for the whole page at once, one query per relationship, instead of one query per row and cell."""

    def __init__(self, obj, eager: tuple[str, ...] = (), **kwargs):
        super().__init__(obj, **kwargs)
        self.eager = eager  # FAB builds related models' interfaces with the model alone

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(
            *(selectinload(getattr(self.obj, name)) for name in self.eager))


class WithComputedColumns(EagerInterface):
    """A model's interface whose screens also show columns the views compute from each row (links that
    depend on the user, numbers masked for the viewer): the models stay free of request state."""

    def __init__(self, obj, computed: dict[str, Callable] | None = None, **kwargs):
        super().__init__(obj, **kwargs)
        self.computed = computed or {}

    def _get_attr_value(self, item, col):  # FAB's is a staticmethod; called through the instance
        if col in self.computed:
            return self.computed[col](item)
        return super()._get_attr_value(item, col)


def record_names() -> dict:
    """Each model's name (as the audit log keeps it) with what its screen calls one record."""
    names = {"User": _l("User")}
    pending = [GuardedView]
    while pending:
        view = pending.pop()
        pending.extend(view.__subclasses__())
        if view.record_name is not None:
            names.setdefault(view.datamodel.obj.__name__, view.record_name)
    return names


def entity_label(entity) -> str:
    """An audited record's kind (a model's name) as its screen calls it."""
    return str(record_names().get(entity, entity or NOTHING))


# A moment typed on a form: office time, minutes enough; the first format is the one shown.
TIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M"]


class UnknownRelated(UserError):
    """A request naming a related record (by id) that does not exist."""

    status = 422

    def __init__(self, field: str):
        super().__init__(gettext("Not a valid choice"), field)


def ensure_related_exist(item) -> None:
    """Refuse an unknown related id: FAB's API schema builds a blank record for it, whose insert fails (500)."""
    state = inspect(item)
    for relationship in state.mapper.relationships:
        value = state.dict.get(relationship.key)
        # Transient, or pending once the record it hangs on is in the session (a PUT): not in the database.
        if relationship.direction is MANYTOONE and value is not None and inspect(value).key is None:
            raise UnknownRelated(relationship.key)


class NullableConverter(Model2SchemaConverter):
    """FAB's schemas, with null allowed where the column allows it: FAB's enum and nested related fields
    never allow None, yet a list dumps null for an empty one (and the spec then says it cannot)."""

    def _column2enum(self, datamodel, column):
        field = super()._column2enum(datamodel, column)
        field.allow_none = datamodel.is_nullable(column.name)
        return field

    def _column2relation(self, datamodel, column, nested=False, parent_schema_name=None):
        field = super()._column2relation(datamodel, column, nested=nested, parent_schema_name=parent_schema_name)
        if nested and not getattr(field, "many", False):
            field.allow_none = datamodel.is_nullable(column.name)
        return field


class GuardedApi(ModelRestApi):
    """A REST resource under the same permissions as its screen; the web session also logs it in.

    A record pointing at another sector's application is refused with 422, before anything is written.
    """

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = True
    page_size = 25
    model2schemaconverter = NullableConverter
    exclude_route_methods: set[str] = set()
    # Identity numbers typed with spaces, dots or dashes are taken as their bare digits, as in the forms.
    digit_columns: tuple[str, ...] = ()

    def __init__(self):
        if self.base_permissions is not None:
            self.exclude_route_methods = {*self.exclude_route_methods, *self._methods_not_allowed()}
        super().__init__()

    def _methods_not_allowed(self) -> set[str]:
        """The endpoints whose action the resource does not allow (a read-only one's writes): neither routed
        (a 405 naming the methods that are) nor in the spec."""
        allowed = {action.removeprefix("can_") for action in self.base_permissions or ()}
        return {method for method, action in METHOD_PERMISSIONS.items() if action not in allowed}

    def _strip_separators(self) -> None:
        payload = request.get_json(silent=True)  # the same cached dict FAB's schema loads next
        if isinstance(payload, dict):
            for column in self.digit_columns:
                if isinstance(payload.get(column), str):
                    payload[column] = normalise_digits(payload[column])

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.before_request(csrf_for_browser_session)
        blueprint.before_request(refuse_unreadable_api_request)
        return blueprint

    def _init_properties(self):
        super()._init_properties()
        self._scope_related_choices()

    # --- What a request may filter and order by, and which related records _info offers (issue 8) ---
    def _scope_related_choices(self):
        """_info's choices for related records: only the user's sector (finding 4)."""
        user_model = appbuilder().sm.user_model
        for attribute, columns in (("add_query_rel_fields", self.add_columns),
                                   ("edit_query_rel_fields", self.edit_columns)):
            declared: dict = getattr(self, attribute)
            setattr(self, attribute, {**scoped_choices(self.datamodel, columns, user_model), **declared})

    def _may(self, action: str) -> bool:
        return action in self.base_permissions and self.appbuilder.sm.has_access(action, self.class_permission_name)

    def set_response_key_mappings(self, response, func, rison_args, **kwargs):
        """The metadata of _info and of a list, trimmed for this request: FAB's endpoints are decorated with its
        own merge functions (bound at class definition, so not overridable), whose output is cut here."""
        super().set_response_key_mappings(response, func, rison_args, **kwargs)
        if API_FILTERS_RES_KEY in response:
            response[API_FILTERS_RES_KEY] = {
                column: operators for column, operators in response[API_FILTERS_RES_KEY].items() if searchable(column)
            }
        if API_ORDER_COLUMNS_RES_KEY in response:
            response[API_ORDER_COLUMNS_RES_KEY] = [c for c in response[API_ORDER_COLUMNS_RES_KEY] if searchable(c)]
        # A form's fields and related choices only for whoever may fill it in.
        for key, action in ((API_ADD_COLUMNS_RES_KEY, CAN_CREATE), (API_EDIT_COLUMNS_RES_KEY, CAN_EDIT)):
            if key in response and not self._may(action):
                response[key] = []

    def _handle_filters_args(self, rison_args):
        """The request's filters, each on a column this user may search (NIK and NPWP only with Identity: no
        oracle), by an operator of that column's own filters, LIKE wildcards taken literally.

        Not FAB's rest_add_filters, which takes an operator's class from a map shared by every API (the class
        last instantiated under that operator's name): here it is always the column's own."""
        filters = self._filters
        filters.clear_filters()
        for requested in rison_args.get(API_FILTERS_RIS_KEY, []):
            column, operator = requested.get("col"), requested.get("opr")
            choices = filters.get_search_filters().get(column, []) if searchable(str(column)) else []
            if not choices:  # the same answer for an identity column as for one that does not exist
                raise InvalidColumnFilterFABException(
                    gettext("Column %(column)s cannot be used to filter.", column=column))
            chosen = next((choice for choice in choices if choice.arg_name == operator), None)
            if chosen is None:
                raise InvalidOperationFilterFABException(
                    gettext("Filter %(operator)s cannot be used on column %(column)s.", operator=operator,
                            column=column))
            # search_filters may declare a class (FAB's own are instances of their class)
            filter_class = chosen if isinstance(chosen, type) else type(chosen)
            filters.add_filter(column, literal_like(filter_class), requested.get("value"))
        return filters.get_joined_filters(self._base_filters)

    def _handle_order_args(self, rison_args):
        column = rison_args.get(API_ORDER_COLUMN_RIS_KEY)
        if column and (column not in self.order_columns or not searchable(str(column))):
            raise InvalidOrderByColumnFABException(gettext("Column %(column)s cannot be used to sort.", column=column))
        return super()._handle_order_args(rison_args)

    def pre_add(self, item):
        ensure_related_exist(item)
        ensure_storable(item, self.datamodel.session)
        ensure_in_scope(item)

    def pre_update(self, item):
        ensure_related_exist(item)
        ensure_storable(item, self.datamodel.session)
        ensure_in_scope(item)

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        info = super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)
        # FAB translates a label or description that was never given: gettext("") is the catalogue's header.
        for key, given in (("label", self.label_columns), ("description", self.description_columns)):
            if not given.get(field.name):
                info[key] = ""
        return info

    # FAB's own refusals (rison, schema, database) in the user's language, under their field.
    def response_400(self, message=None):
        return super().response_400(message=answer_fields(message))

    def response_422(self, message=None):
        return super().response_422(message=answer_fields(message))

    def response_403(self):
        return self.response(403, message=translated("Forbidden"))

    def response_404(self):
        return self.response(404, message=translated("Not found"))

    # FAB's endpoints answer any exception that escapes them with a 500: a refusal is answered here.
    def post_headless(self):
        self._strip_separators()
        try:
            return super().post_headless()
        except UserError as error:
            return self._refused(error)

    def put_headless(self, pk):
        self._strip_separators()
        try:
            return super().put_headless(pk)
        except UserError as error:
            return self._refused(error)

    # FAB routes PUT and DELETE on /<pk> of any text, so that PUT /_info or DELETE /search reached them (a 400
    # or 404 where the address takes GET only): a record's key is a whole number, as the spec says.
    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    @permission_name("put")
    def put(self, pk):
        return self.put_headless(pk)

    @expose("/<int:pk>", methods=["DELETE"])
    @protect()
    @safe
    @permission_name("delete")
    def delete(self, pk):
        return self.delete_headless(pk)

    put.__doc__ = ModelRestApi.put.__doc__  # FAB's spec of the operation
    delete.__doc__ = ModelRestApi.delete.__doc__

    def _refused(self, error: UserError):
        self.datamodel.session.rollback()
        return self.response(error.status, message=error.by_field())


def csrf_for_browser_session():
    """FAB exempts its APIs from CSRF, having token clients in mind; but with allow_browser_login the
    session cookie logs a request in too, so a write that the session (not a bearer token) logs in must
    carry the CSRF token of a SIGAP page in the X-CSRFToken header, as a form carries it in a field."""
    if (request.method in ("GET", "HEAD", "OPTIONS") or authenticated_by_bearer_token()
            or not current_app.config.get("WTF_CSRF_ENABLED", True) or not current_user.is_authenticated):
        return None
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        return jsonify(message=gettext("The page has expired. Reload it and try again.")), 400
    return None


def request_sector_scope() -> int | None:
    """The user's sector scope as a plain value for the services: None for every sector, 0 for none."""
    scope = scoped_sector_id()
    return None if scope is _UNSCOPED else (scope or 0)


def sector_scope(column: str = "sector_id") -> list:
    """Base filters limiting a technical team to its own sector, through ``column``."""
    return [[column, SectorScope, None]]
