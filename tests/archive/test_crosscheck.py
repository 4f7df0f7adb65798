"""The NIK, NPWP and NIB typed into a record, found (or not) in the text of the matching scans."""

from app.models import Application
from tests.archive.samples import scanned_pdf, text_pdf
from tests.conftest import api_token

NIK = "1377014502900001"  # the applicant of tests.security.test_sector_scope._application


def crosscheck(app, username, application_id):
    client = app.test_client()
    return client.get(f"/api/v1/document/crosscheck/{application_id}", headers=api_token(client, username))


def test_found_and_not_found_beside_each_field(app, upload, application_in):
    application_id = application_in("PUPR")
    with app.app_context():
        session = app.appbuilder.session
        application = session.get(Application, application_id)
        application.nib = "9120001234567"
        session.commit()
    ktp = upload("arsip", text_pdf("PROVINSI SUMATERA BARAT", f"NIK : {NIK[:6]} {NIK[6:12]} {NIK[12:]}"),
                 application_id=application_id).get_json()["id"]
    upload("arsip", scanned_pdf("NOMOR INDUK BERUSAHA\n9120009999999"), application_id=application_id, doc_type="NIB")
    checks = {c["field"]: c for c in crosscheck(app, "kasi", application_id).get_json()["result"]}
    assert checks["nik"] == {"field": "nik", "typed_value": NIK, "document_type": "KTP", "found": True,
                             "document_id": ktp, "page": 2}
    assert checks["nib"]["found"] is False and checks["nib"]["document_type"] == "NIB"


def test_masked_for_roles_without_identity_and_scoped_by_sector(app, upload, application_in):
    application_id = application_in("PUPR")
    upload("arsip", text_pdf(f"NIK {NIK}"), application_id=application_id)
    nik = crosscheck(app, "pimpinan", application_id).get_json()["result"][0]
    assert nik["found"] is True and nik["typed_value"] != NIK and nik["typed_value"].endswith("0001")
    assert crosscheck(app, "teknis_kesehatan", application_id).status_code == 404
    assert crosscheck(app, "teknis_pupr", application_id).status_code == 200
