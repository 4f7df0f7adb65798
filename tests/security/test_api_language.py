"""The API answers in the user's language and keeps the moment a client means."""

import datetime as dt
import uuid

from app.models import AssistanceLog

MISSING = 999999


def test_refusals_of_a_record_or_a_resource_speak_indonesian(client, auth):
    kasi = auth("kasi")
    missing = client.get(f"/api/v1/application/{MISSING}", headers=kasi)
    assert missing.status_code == 404
    assert missing.get_json() == {
        "message": "Halaman atau data yang Anda minta tidak ada, atau bukan wewenang Anda untuk melihatnya."}
    refused = client.get("/api/v1/audit_log/", headers=kasi)
    assert refused.status_code == 403
    assert refused.get_json() == {
        "message": "Peran Anda tidak boleh melakukan ini. Minta kepada Admin bila Anda memerlukannya."}


def test_a_time_sent_with_its_offset_is_stored_as_the_moment_it_names(app, client, auth):
    visitor = f"Tamu {uuid.uuid4().hex[:6]}"
    response = client.post("/api/v1/assistance_log/", headers=auth("fo"), json={
        "channel": "oss_rba", "visitor_name": visitor, "finished_at": "2026-12-03T09:00:00+07:00"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["result"]["finished_at"] == "2026-12-03T02:00:00"  # UTC, as the API's times are
    with app.app_context():
        stored = app.appbuilder.session.query(AssistanceLog).filter_by(visitor_name=visitor).one()
        assert stored.finished_at == dt.datetime(2026, 12, 3, 2, 0)
