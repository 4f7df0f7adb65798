"""What the front desk prints for the public carries SIGAP_PUBLIC_URL, never the clerk's own address; the public
status page and permit check let the office's own network through their per-address limit, never through the
status page's per-number lock."""

import io

import pdfplumber
import pytest
from reportlab.graphics.barcode.qr import QrCodeWidget

from app.models import Permit
from app.models.base import utcnow
from app.security.networks import in_networks
from tests.conftest import PASSWORD
from tests.frontdesk.test_counter import registration

PUBLIC = "https://sigap.pariamankota.go.id"
# The address the FO's browser used at the counter.
COUNTER_HOST = "http://127.0.0.1:5000"


@pytest.fixture
def qr_payloads(monkeypatch):
    """Every QR code drawn on a receipt, by its payload."""
    drawn = []

    class Recording(QrCodeWidget):
        def __init__(self, value, *args, **kwargs):
            drawn.append(value)
            super().__init__(value, *args, **kwargs)

    monkeypatch.setattr("app.frontdesk.berita.QrCodeWidget", Recording)
    return drawn


def _pdf(app, url) -> str:
    fo = app.test_client()
    fo.post("/login/", data={"username": "fo", "password": PASSWORD}, base_url=COUNTER_HOST)
    response = fo.get(url, base_url=COUNTER_HOST)
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        return document.pages[0].extract_text()


def test_berita_dokumen_qr_codes_hold_the_configured_public_address(app, desk, qr_payloads, monkeypatch):
    monkeypatch.setitem(app.config, "SIGAP_PUBLIC_URL", PUBLIC + "/")
    application = desk.register("SIP_DOKTER")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen")
    text = _pdf(app, f"/berita-dokumen/{application}.pdf")
    number, _nik, _name = registration(app, application)
    status, survey = qr_payloads
    assert status == f"{PUBLIC}/status/?number={number}"
    assert survey.startswith(f"{PUBLIC}/skm/")
    assert status in text and survey in text and "127.0.0.1" not in text


def test_hand_over_receipt_qr_code_holds_the_configured_public_address(app, desk, qr_payloads, monkeypatch):
    monkeypatch.setitem(app.config, "SIGAP_PUBLIC_URL", PUBLIC)
    application = desk.register("KARTU_AK1")
    with app.app_context():
        app.appbuilder.session.add(Permit(application_id=application, number=f"AK1-{application}-QR",
                                          permit_type="Kartu AK/I", issued_on=utcnow().date(),
                                          handed_over_at=utcnow(), handed_over_to="Pemohon sendiri"))
        app.appbuilder.session.commit()
    text = _pdf(app, f"/handover-receipt/{application}.pdf")
    [survey] = qr_payloads
    assert survey.startswith(f"{PUBLIC}/skm/") and survey in text and "127.0.0.1" not in text


# --- the public lookups and the office's own network -------------------------------------------------

OFFICE = "10.0.0.0/8, 192.168.0.0/16"


def test_office_networks_are_matched_by_the_address_alone():
    assert in_networks("10.20.30.40", OFFICE) and in_networks("192.168.1.9", OFFICE)
    assert not in_networks("172.16.0.1", OFFICE) and not in_networks("127.0.0.1", OFFICE)
    assert not in_networks("10.0.0.1", "") and not in_networks("", OFFICE) and not in_networks(None, OFFICE)


@pytest.fixture
def office_app(app, monkeypatch):
    app.appbuilder.sm.limiter.reset()
    monkeypatch.setitem(app.config, "OFFICE_NETWORKS", OFFICE)
    yield app
    app.appbuilder.sm.limiter.reset()


def _lookups(client, address, count, number="REG-0", nik4="0000", headers=None):
    return [client.post("/status/", data={"number": number, "nik4": nik4}, headers=headers or {},
                        environ_base={"REMOTE_ADDR": address}).status_code for _ in range(count)]


def _permit_checks(client, address, count, headers=None):
    """The public check of a permit whose code nobody issued: a 404 page, until the limit answers 429."""
    return [client.get("/cek/1.tebakan", headers=headers or {}, environ_base={"REMOTE_ADDR": address}).status_code
            for _ in range(count)]


@pytest.mark.parametrize("lookups, answer", [(_lookups, 200), (_permit_checks, 404)], ids=["status", "cek"])
def test_the_office_network_passes_the_per_address_limit(office_app, lookups, answer):
    client = office_app.test_client()
    assert lookups(client, "10.1.2.3", 15) == [answer] * 15
    # Outside the office the limit holds, even when a request claims to come from inside through a proxy header.
    outside = lookups(client, "203.0.113.7", 11, headers={"X-Forwarded-For": "10.1.2.3"})
    assert outside[:10] == [answer] * 10 and outside[-1] == 429


def test_the_office_network_is_still_locked_per_registration_number(office_app, desk):
    application = desk.register("KARTU_AK1")
    number, nik, _name = registration(office_app, application)
    wrong = "0000" if nik[-4:] != "0000" else "1111"
    client = office_app.test_client()
    assert _lookups(client, "192.168.5.5", office_app.config["STATUS_LOCKOUT_FAILURES"], number, wrong) == \
        [200] * office_app.config["STATUS_LOCKOUT_FAILURES"]
    page = client.post("/status/", data={"number": number, "nik4": nik[-4:]},
                       environ_base={"REMOTE_ADDR": "192.168.5.5"}).get_data(as_text=True)
    assert 'id="found"' not in page
    assert "Terlalu banyak percobaan yang salah untuk nomor registrasi ini" in page
