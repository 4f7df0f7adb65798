"""The API's OpenAPI spec as SIGAP answers (issue 11): FAB's generated spec, corrected in one place.

FAB documents each operation's refusals from its docstring, some not at all, each with its own body; SIGAP
answers every refusal the same way ({"message": a sentence, or sentences by field}: app/errors.py, FAB's
response_4xx, error_pages, the token errors). Here every operation gets the refusals it can meet, by what it
has (a token, a path id, a body, query parameters), all with that one body; and FAB's wrong success schemas
(_info's form fields, the lists' ids, naive UTC times, the menu's separators) are put right.
tests/security/test_api_fuzz.py holds the answers to this spec."""

from collections.abc import Callable, Iterator

from flask_appbuilder.api.manager import OpenApi

HTTP_METHODS = ("get", "put", "post", "delete", "patch")

REFUSAL_SCHEMA = {
    "type": "object",
    "required": ["message"],
    "additionalProperties": False,
    "properties": {"message": {"oneOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    ]}},
}
REFUSAL_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}

REFUSALS = {
    "400": "Bad request: the body or a parameter cannot be read, or a browser session's write lacks its CSRF token",
    "401": "No valid access token: missing, malformed, expired, or issued before a password change",
    "403": "The caller's role (or sector) may not do this",
    "404": "No such record, or not the caller's to see",
    "409": "Conflict: already recorded, or not the record's current state",
    "413": "The request body is larger than the upload limit",
    "422": "Refused, the sentence under each field",
    "429": "Too many attempts from this address: wait a minute",
    "500": "Unexpected error: nothing was saved",
    "503": "The database or the document store cannot be reached: nothing was saved",
}


def _has_query(path: str, method: str, operation: dict) -> bool:
    return any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))


def _has_body(path: str, method: str, operation: dict) -> bool:
    return "requestBody" in operation


def _has_json_body(path: str, method: str, operation: dict) -> bool:
    return "application/json" in operation.get("requestBody", {}).get("content", {})


def _reads_input(path: str, method: str, operation: dict) -> bool:
    """A write (CSRF on a browser session), a body, or query parameters: something that may not be readable."""
    return method != "get" or _has_query(path, method, operation)


def _needs_token(path: str, method: str, operation: dict) -> bool:
    return bool(operation.get("security"))


def _names_a_record(path: str, method: str, operation: dict) -> bool:
    return "{" in path


def _rate_limited(path: str, method: str, operation: dict) -> bool:
    """The login API's blueprint (app/security/manager.py: register_views), POST only."""
    return path.startswith("/api/v1/security/") and method == "post"


def _always(path: str, method: str, operation: dict) -> bool:
    return True


# Each refusal, and which operations can meet it.
REFUSAL_RULES: dict[str, Callable[[str, str, dict], bool]] = {
    "400": _reads_input,
    "401": _needs_token,
    "403": _needs_token,
    "404": _names_a_record,
    "409": _has_json_body,
    "413": _has_body,
    "422": _has_json_body,
    "429": _rate_limited,
    "500": _always,
    "503": _always,
}

# FAB's _info: each form field's description (app/views/base.py GuardedApi._get_field_info).
FORM_FIELD = {
    "type": "object",
    "required": ["name", "label", "description", "type", "required", "unique"],
    "properties": {
        "name": {"type": "string"}, "label": {"type": "string"}, "description": {"type": "string"},
        "type": {"type": "string"}, "required": {"type": "boolean"}, "unique": {"type": "boolean"},
        "validate": {"type": "array", "items": {"type": "string"}},
        "count": {"type": "integer"},
        "values": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "value": {"type": "string"}}}},
    },
}
FORM_FIELDS = {"type": "array", "items": FORM_FIELD}
# Every SIGAP table has a whole-number key; FAB documents it as a string.
RECORD_ID = {"type": "integer"}
# Times are stored in UTC without an offset and sent as they are stored (ISO 8601, no "Z"): not RFC 3339.
UTC_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$",
            "description": "UTC, ISO 8601 without an offset"}
# FAB's menu puts "-" between groups of a category's entries.
MENU_CHILD = {"oneOf": [{"type": "object"}, {"type": "string", "enum": ["-"]}]}


def documented(spec: dict) -> dict:
    """``spec`` (FAB's, as a dict) with every operation's refusals and FAB's success schemas put right."""
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Refusal"] = REFUSAL_SCHEMA
    components["responses"] = {code: {"description": text, "content": REFUSAL_CONTENT}
                               for code, text in REFUSALS.items()}
    for path, method, operation in _operations(spec):
        _document_refusals(path, method, operation)
        _correct_success(path, method, operation)
    for name in _response_components(spec):
        _naive_utc_times(components["schemas"][name])
    return spec


def _operations(spec: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def _document_refusals(path: str, method: str, operation: dict) -> None:
    responses = operation["responses"] = {str(code): answer for code, answer in operation.get("responses", {}).items()}
    for code, applies in REFUSAL_RULES.items():
        if applies(path, method, operation):
            responses.setdefault(code, {"$ref": f"#/components/responses/{code}"})
    for code, response in responses.items():
        if int(code) >= 400 and "$ref" not in response:  # a docstring's own words, SIGAP's one body
            response["content"] = REFUSAL_CONTENT


def _correct_success(path: str, method: str, operation: dict) -> None:
    for code, response in operation.get("responses", {}).items():
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        if int(code) >= 400 or "properties" not in schema:
            continue
        properties = schema["properties"]
        for form in ("add_columns", "edit_columns"):
            if form in properties:
                properties[form] = FORM_FIELDS
        if "ids" in properties:
            properties["ids"]["items"] = RECORD_ID
        if properties.get("id", {}).get("type") == "string":
            properties["id"] = RECORD_ID
        if "childs" in properties.get("result", {}).get("items", {}).get("properties", {}):
            properties["result"]["items"]["properties"]["childs"]["items"] = MENU_CHILD


def _response_components(spec: dict) -> set[str]:
    """The component schemas a success response refers to, directly or through another component."""
    schemas = spec["components"]["schemas"]
    found: set[str] = set()
    pending = [response for _path, _method, operation in _operations(spec)
               for code, response in operation.get("responses", {}).items() if int(code) < 400]
    while pending:
        for name in _references(pending.pop()):
            if name not in found and name in schemas:
                found.add(name)
                pending.append(schemas[name])
    return found


def _references(node) -> Iterator[str]:
    if isinstance(node, dict):
        reference = node.get("$ref", "")
        if reference.startswith("#/components/schemas/"):
            yield reference.rsplit("/", 1)[-1]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _naive_utc_times(schema: dict) -> None:
    for name, prop in schema.get("properties", {}).items():
        if prop.get("format") == "date-time":
            schema["properties"][name] = {**{k: v for k, v in prop.items() if k != "format"}, **UTC_TIME}


class SigapOpenApi(OpenApi):
    """FAB's /api/<version>/_openapi, its spec corrected (``documented``) before it is sent."""

    class_permission_name = "OpenApi"  # the permission roles are granted (app/security/roles.py)

    @staticmethod
    def response(code: int, **kwargs):
        return OpenApi.response(code, **(documented(kwargs) if code == 200 else kwargs))
