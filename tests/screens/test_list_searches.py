"""The daily lists find a record by applicant name, NIK (roles with Identity only), registration number
(contains), service, status and date; the registration number opens the application's page."""

import re

from app.models import Applicant, Application
from tests.web.test_workflow_screens import web


def _facts(app, application_id):
    with app.app_context():
        application = app.appbuilder.session.get(Application, application_id)
        return application.registration_number, application.applicant.name, application.applicant.nik


def _listed(app, username, url) -> str:
    response = web(app, username).get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_applications_are_found_by_part_of_their_number_and_by_applicant_name(app, desk):
    found, other = desk.register("KARTU_AK1"), desk.register("KARTU_AK1")
    number, name, _nik = _facts(app, found)
    other_number = _facts(app, other)[0]
    by_number = _listed(app, "fo", f"/applications/list/?_flt_0_registration_number={number[-4:]}")
    assert number in by_number and other_number not in by_number  # contains, not starts with
    by_name = _listed(app, "fo", f"/applications/list/?_flt_0_applicant_name={name.split()[-1].upper()}")
    assert number in by_name and other_number not in by_name


def test_nik_is_searchable_only_with_identity(app, desk):
    found, other = desk.register("KARTU_AK1"), desk.register("KARTU_AK1")
    number, _name, nik = _facts(app, found)
    other_number = _facts(app, other)[0]
    typed = f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"
    fo = _listed(app, "fo", f"/applications/list/?_flt_0_applicant_nik={typed}")
    assert number in fo and other_number not in fo and '"applicant_nik"' in fo
    # Dalaks may not see identity: the NIK is neither offered nor applied (no oracle: the same rows either way)
    dalaks = _listed(app, "dalaks", f"/applications/list/?_flt_0_applicant_nik={nik}")
    unfiltered = _listed(app, "dalaks", "/applications/list/")
    assert '"applicant_nik"' not in dalaks and "NIK" not in re.sub(r"<script.*?</script>", "", dalaks, flags=re.S)
    assert re.findall(r"REG-[\w-]+", dalaks) == re.findall(r"REG-[\w-]+", unfiltered)


def _names_in_order(page: str) -> list[str]:
    return re.findall(r"<td>(Pemohon [^<]+)</td>", page)


def test_applicants_cannot_be_ordered_or_filtered_by_nik_without_identity(app, desk):
    for _ in range(3):
        desk.register("KARTU_AK1")
    named = "/applicants/list/?_flt_0_name=Pemohon"  # the desk's applicants (name contains "Pemohon")
    by_nik = f"{named}&_oc_ApplicantView=nik&_od_ApplicantView=desc"
    with app.app_context():
        desk_made = app.appbuilder.session.query(Applicant).filter(Applicant.name.like("Pemohon %"))
        highest = desk_made.order_by(Applicant.nik.desc()).first().name
    assert _names_in_order(_listed(app, "fo", by_nik))[0] == highest  # with Identity, ordered by NIK
    # Pimpinan reads applicants but not their NIK: the NIK order and filter are ignored, and not offered
    plain = _names_in_order(_listed(app, "pimpinan", named))
    assert _names_in_order(_listed(app, "pimpinan", by_nik)) == plain
    with app.app_context():
        nik = app.appbuilder.session.query(Application).first().applicant.nik
    filtered = _listed(app, "pimpinan", f"{named}&_flt_0_nik={nik}")
    assert _names_in_order(filtered) == plain and '"nik"' not in filtered
    assert '"nik"' in _listed(app, "fo", "/applicants/list/")


def test_permits_and_documents_are_found_through_their_application(app, desk):
    application = desk.register("KARTU_AK1")
    document = desk.upload("bo", application, "KTP")
    number, name, _nik = _facts(app, application)
    documents = _listed(app, "admin_test", f"/documents/list/?_flt_0_applicant_name={name}")
    assert f"/documents/show/{document}" in documents
    none = _listed(app, "admin_test", "/documents/list/?_flt_0_applicant_name=nobody-by-this-name")
    assert f"/documents/show/{document}" not in none
    assert f'href="/application/{application}"' in documents  # the number opens the application's page


def test_the_registration_number_in_the_list_opens_the_application_page(app, desk):
    application = desk.register("KARTU_AK1")
    number = _facts(app, application)[0]
    page = _listed(app, "fo", f"/applications/list/?_flt_0_registration_number={number}")
    link = re.search(rf'<a href="([^"]+)">{re.escape(number)}</a>', page).group(1)
    response = web(app, "fo").get(link)
    assert response.status_code == 302 and response.location.endswith(f"/application/{application}")
