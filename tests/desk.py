"""Driving applications through their steps over the API, as the users of each role."""

import io
import uuid

from app.models import Application, Service
from tests.records.helpers import INDIVIDUAL, unique_nik
from tests.archive.samples import text_pdf


class Desk:
    """One test client, with a token per username, speaking to the API."""

    def __init__(self, app, client, auth):
        self.app, self.client, self._auth, self._tokens = app, client, auth, {}

    def headers(self, username):
        if username not in self._tokens:
            self._tokens[username] = self._auth(username)
        return self._tokens[username]

    def service_id(self, code):
        with self.app.app_context():
            return self.app.appbuilder.session.query(Service).filter_by(code=code).one().id

    def register(self, service_code, **fields):
        applicant = self.client.post("/api/v1/applicant/", headers=self.headers("fo"), json={
            "kind": INDIVIDUAL, "name": f"Pemohon {uuid.uuid4().hex[:8]}", "nik": unique_nik()})
        assert applicant.status_code == 201, applicant.get_json()
        response = self.client.post("/api/v1/application/", headers=self.headers("fo"), json={
            "applicant": applicant.get_json()["id"], "service": self.service_id(service_code), **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def upload(self, username, application_id, document_type):
        response = self.client.post("/api/v1/document/", headers=self.headers(username), data={
            "file": (io.BytesIO(text_pdf(f"{document_type} {uuid.uuid4()}")), f"{document_type}.pdf"),
            "document_type": document_type, "application": str(application_id)})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def ticks(self, application_id) -> list[int]:
        """The ids of the application's mandatory requirements: every one ticked, as a positive decision needs."""
        with self.app.app_context():
            application = self.app.appbuilder.session.get(Application, application_id)
            return [r.id for r in application.service.requirements if r.mandatory]

    def upload_required(self, username, application_id):
        """A scan of each mandatory requirement's document type the application lacks (the archive's check)."""
        with self.app.app_context():
            application = self.app.appbuilder.session.get(Application, application_id)
            present = {d.document_type.code for d in application.documents if d.is_current}
            wanted = {r.document_type.code for r in application.service.requirements
                      if r.mandatory and r.document_type is not None}
        for document_type in sorted(wanted - present):
            self.upload(username, application_id, document_type)

    def archive(self, application_id, username="arsip", **data):
        """The archivist's step, once the mandatory scans are uploaded."""
        from tests.tracks import ARCHIVE

        self.upload_required(username, application_id)
        return self.ok(username, application_id, "digital_archive", **{**ARCHIVE, **data})

    def step(self, username, application_id, step, **data):
        return self.client.post(f"/api/v1/application/{application_id}/step", headers=self.headers(username),
                                json={"step": step, **data})

    def ok(self, username, application_id, step, **data):
        response = self.step(username, application_id, step, **data)
        assert response.status_code == 200, (step, username, response.get_json())
        return response.get_json()

    def timeline(self, application_id, username="kasi"):
        response = self.client.get(f"/api/v1/application/{application_id}/timeline", headers=self.headers(username))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def permit(self, username, application_id, **extra):
        document = self.upload(username, application_id, "IZIN")
        return self.ok(username, application_id, "permit_upload", number=f"IZ-{uuid.uuid4().hex[:10]}",
                       issued_on="2026-11-20", document=document, **extra)

    def up_to_the_permit(self, application_id):
        """A non-permit service (e.g. SK_PENELITIAN) brought to BO's permit step, the form with a file."""
        for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
            self.ok(username, application_id, step)
        self.ok("kasi", application_id, "kasi_verification", outcome="complete", checked=self.ticks(application_id))
        self.ok("kadis", application_id, "kadis_approval", outcome="approve")

    def final_verification(self, application_id):
        for username in ("kasi", "kabid"):
            self.ok(username, application_id, "final_verification", outcome="valid", checked=self.ticks(application_id))
