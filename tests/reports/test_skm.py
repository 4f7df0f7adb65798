"""The public satisfaction survey: its signed link on the berita dokumen, the Admin's periods, one answer
per application, nothing personal on the public page; and the IKM grades at the regulation's bounds."""

import io
import re
from decimal import Decimal

import pdfplumber
import pytest

from app.models import Application, SkmPeriod, SkmResponse
from app.models.skm import SKM_ELEMENTS
from app.skm.ikm import grade_of, ikm
from tests.conftest import web_login

ANSWERS = {element: "3" for element in SKM_ELEMENTS}


@pytest.fixture
def public(app):
    app.appbuilder.sm.limiter.reset()
    return app.test_client()


def _survey_path(app, desk, service="SIP_DOKTER"):
    """Register an application, give its berita dokumen, and read the survey link printed on it."""
    application = desk.register(service)
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen", received=["Surat permohonan"])
    fo = app.test_client()
    web_login(fo, "fo")
    response = fo.get(f"/berita-dokumen/{application}.pdf")
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = document.pages[0].extract_text()
    link = re.search(r"https?://\S+(/skm/\S+)", text)
    assert link, text
    return application, link.group(1)


def _responses(app, application):
    with app.app_context():
        return app.appbuilder.session.query(SkmResponse).filter_by(application_id=application).count()


def _personal(app, application):
    with app.app_context():
        record = app.appbuilder.session.get(Application, application)
        return [record.applicant.name, record.applicant.nik, record.registration_number]


def test_one_answer_per_application_while_a_period_is_open(app, desk, public):
    application, path = _survey_path(app, desk)
    admin = app.test_client()
    web_login(admin, "admin_test")
    with app.app_context():
        app.appbuilder.session.query(SkmPeriod).update({"is_open": False})
        app.appbuilder.session.commit()
    assert 'id="closed"' in public.get(path).get_data(as_text=True)

    opened = admin.post("/skm-periods/add", data={"name": "SKM uji", "starts_on": "2000-01-01",
                                                  "ends_on": "2099-12-31", "is_open": "y"})
    assert opened.status_code == 302
    form = public.get(path).get_data(as_text=True)
    assert "Survei Kepuasan Masyarakat" in form and "Persyaratan" in form and "Sangat baik" in form
    assert not [value for value in _personal(app, application) if value in form]

    refused = public.post(path, data={**ANSWERS, "u4_fee": "5"})
    assert "has-error" in refused.get_data(as_text=True) and _responses(app, application) == 0
    answered = public.post(path, data={**ANSWERS, "age": "41", "sex": "female", "suggestion": "Antrean cepat"})
    assert 'id="thanks"' in answered.get_data(as_text=True) and _responses(app, application) == 1
    again = public.post(path, data={**ANSWERS, "u1_requirements": "1"})
    assert 'id="answered"' in again.get_data(as_text=True) and _responses(app, application) == 1
    with app.app_context():
        stored = app.appbuilder.session.query(SkmResponse).filter_by(application_id=application).one()
        assert (stored.u1_requirements, stored.age, stored.sex.name) == (3, 41, "female")

    with app.app_context():
        period = app.appbuilder.session.query(SkmPeriod).filter_by(name="SKM uji").one().id
    closed = admin.post(f"/skm-periods/edit/{period}", data={"name": "SKM uji", "starts_on": "2000-01-01",
                                                             "ends_on": "2099-12-31"})
    assert closed.status_code == 302
    later, later_path = _survey_path(app, desk)
    assert 'id="closed"' in public.post(later_path, data=ANSWERS).get_data(as_text=True)
    assert _responses(app, later) == 0


def test_a_forged_or_foreign_token_opens_nothing(app, desk, public):
    application, path = _survey_path(app, desk)
    token = path.rsplit("/", 1)[1]
    number, signature = token.split("-", 1)
    for forged in (f"{int(number) + 1}-{signature}", f"{number}-{'A' * len(signature)}", number, "x-y"):
        assert public.get(f"/skm/{forged}").status_code == 404
    assert public.get(path).status_code == 200


@pytest.mark.parametrize("score, grade", [
    ("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"), ("65.00", "C"), ("64.99", "D"),
    ("25.00", "D"),
])
def test_grades_at_the_regulation_bounds(score, grade):
    assert grade_of(Decimal(score))[0] == grade


def test_ikm_weights_each_element_by_an_unrounded_ninth():
    # Sums 10, 10, 10, 10, 10, 10, 10, 10, 9 over 3: NRR 3.333.. x8 and 3; IKM = 89/27.
    result = ikm(3, [10] * 8 + [9])
    assert result["ikm"] == pytest.approx(89 / 27, abs=1e-12)
    assert (result["score"], result["grade"]) == (82.41, "B")  # 82.4074...
    # With the weight rounded to 0.111 the score would be 82.32: the exact one differs.
    assert ikm(1, [4] * 9)["score"] == 100.0 and ikm(1, [1] * 9)["score"] == 25.0


def test_the_hand_over_receipt_carries_the_survey_link(app, desk, public):
    from app.models import Permit
    from app.models.base import utcnow

    application = desk.register("KARTU_AK1")
    fo = app.test_client()
    web_login(fo, "fo")
    assert fo.get(f"/handover-receipt/{application}.pdf").status_code == 404  # nothing handed over yet
    with app.app_context():
        app.appbuilder.session.add(Permit(application_id=application, number=f"AK1-{application}-SERAH",
                                          permit_type="Kartu AK/I", issued_on=utcnow().date(),
                                          handed_over_at=utcnow(), handed_over_to="Pemohon sendiri"))
        app.appbuilder.session.commit()
    response = fo.get(f"/handover-receipt/{application}.pdf")
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = document.pages[0].extract_text()
    assert f"AK1-{application}-SERAH" in text and "TANDA TERIMA PENYERAHAN IZIN" in text
    path = re.search(r"https?://\S+(/skm/\S+)", text).group(1)
    assert public.get(path).status_code == 200
    assert not [value for value in _personal(app, application)[:2] if value in text]


def test_each_survey_period_shows_its_ikm_and_respondents(client, march):
    """The data set's period holds three answers: all 4s, all 3s, and 2 3 4 1 2 3 4 3 2. Element sums
    9 10 11 8 9 10 11 10 9 = 87; IKM = 87 / 3 / 9 = 3.2222..., x 25 = 80.555... -> 80,56, grade B (76.61-88.30)."""
    web_login(client, "admin_test")
    page = client.get("/skm-periods/list/").get_data(as_text=True)
    row = re.search(r"<tr[^>]*>((?:(?!</tr>).)*SKM 2019 \(data uji\)(?:(?!</tr>).)*)</tr>", page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[-2:] == ["3", "80,56 (B, Baik)"]
