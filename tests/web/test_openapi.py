"""The REST API describes itself (OpenAPI) and Swagger UI is served from the app itself."""

from tests.security.test_sector_scope import _api_headers


def test_openapi_spec_lists_sigap_endpoints(app):
    client = app.test_client()
    assert client.get("/api/v1/_openapi").status_code == 401
    spec = client.get("/api/v1/_openapi", headers=_api_headers(client, "kasi")).get_json()
    paths = spec["paths"]
    for path in ("/application/", "/application/{pk}", "/document/", "/document/{pk}/file", "/sop/"):
        assert f"/api/v1{path}" in paths, path


def test_swagger_ui_uses_only_local_assets(app):
    client = app.test_client()
    client.post("/login/", data={"username": "admin_test", "password": "Rahasia-123"})
    page = client.get("/swagger/v1").get_data(as_text=True)
    assert "swagger-ui" in page
    assert "//cdn" not in page and "https://" not in page
