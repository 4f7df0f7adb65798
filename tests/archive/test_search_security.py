"""Issue 8, findings 2, 5 and 6: what archive search and the document files give away.

2. Sector scope, filters and dates are part of the query: totals and pages count only what the user may
   see, and without the Identity permission no query finds a NIK or NPWP (exact, prefix, range, bare,
   quoted groups, fuzzy): 0 hits and a total of 0.
5. Snippets are masked on the whole text, spaced and dotted numbers and the applicant's own numbers too.
6. KTP and NPWP scans are identity documents: without Identity, not found and their files not served.
"""

import html
import re
import secrets
import uuid

import pytest

from app.archive import search as search_module
from app.archive.index import SCHEMA_VERSION, VERSION_FILE, ArchiveIndex
from app.archive.tasks import get_archive
from app.models import Applicant, Sector
from tests.archive.conftest import found_ids, fresh_word
from tests.archive.samples import text_pdf
from tests.conftest import PASSWORD, api_token, web_login
from tests.security.test_sector_scope import _application

WITHOUT_IDENTITY = ("pimpinan", "kadis", "dalaks", "teknis_pupr")
COUNT = re.compile(r"(Sekitar )?(\d+) dokumen ditemukan")


def _digits(count: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def spaced(nik: str) -> str:
    return " ".join(nik[i:i + 4] for i in range(0, 16, 4))


def dotted(npwp15: str) -> str:
    d = npwp15
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


@pytest.fixture
def search(app):
    """GET /api/v1/document/search as a user (one login per user and test); returns the JSON body."""
    client, tokens = app.test_client(), {}

    def _search(username, q, **params):
        if username not in tokens:
            tokens[username] = api_token(client, username)
        response = client.get("/api/v1/document/search", headers=tokens[username], query_string={"q": q, **params})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return _search


@pytest.fixture
def applicant_application(app):
    """An application in a sector whose applicant has a fresh NIK and (legacy, 15-digit) NPWP."""
    def _make(sector_code="PUPR"):
        nik, npwp15 = "1377" + _digits(12), "0" + _digits(14)
        with app.app_context():
            session = app.appbuilder.session
            application = _application(session, sector_code)
            applicant = session.get(Applicant, application.applicant_id)
            applicant.nik, applicant.npwp = nik, "0" + npwp15
            session.commit()
            return application.id, nik, npwp15
    return _make


@pytest.fixture
def unassigned_team(app):
    """A Tim Teknis user with no sector."""
    username = f"teknis_{uuid.uuid4().hex[:6]}"
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user(username, "Tanpa", "Sektor", f"{username}@test.local", sm.find_role("Tim Teknis"),
                    password=PASSWORD)
    return username


def page_count(app, username, q, **params) -> tuple[int, bool]:
    """The count the archive search page shows, and whether it is exact."""
    client = app.test_client()
    web_login(client, username)
    response = client.get("/archive/search/", query_string={"q": q, **params})
    assert response.status_code == 200
    about, count = COUNT.search(response.get_data(as_text=True)).groups()
    return int(count), about is None


def assert_sees(app, search, username, q, expected: set, total=None, **params):
    """API hits, API total and the page's count agree with what the user may see."""
    body = search(username, q, page_size=100, **params)
    assert found_ids(body) == expected, username
    assert (body["total"], body["exact_total"]) == (len(expected) if total is None else total, True), username
    assert page_count(app, username, q, **params) == (body["total"], True), username


# --- finding 2: scope inside the query -------------------------------------------------------------
def test_finding_2_totals_and_pages_count_only_the_users_sector(app, upload, search, application_in,
                                                                 unassigned_team):
    word = fresh_word()
    health = upload("arsip", text_pdf(word), application_id=application_in("KESEHATAN"), doc_type="BAP")
    health = health.get_json()["id"]
    assert_sees(app, search, "teknis_pupr", word, set())
    assert_sees(app, search, unassigned_team, word, set())
    assert_sees(app, search, "teknis_kesehatan", word, {health})
    for username in ("pimpinan", "kadis", "dalaks"):
        assert_sees(app, search, username, word, {health})
    # Naming the other sector as a filter does not widen the scope.
    with app.app_context():
        sector = app.appbuilder.session.query(Sector).filter_by(code="KESEHATAN").one().id
    assert_sees(app, search, "teknis_pupr", word, set(), sector=str(sector))


def test_finding_2_a_restricted_total_is_exact_across_pages_and_an_estimate_only_over_the_cap(
        app, upload, search, application_in, monkeypatch):
    word = fresh_word()
    pupr = {upload("arsip", text_pdf(f"{word} {n}"), application_id=application_in("PUPR"),
                   doc_type="BAP").get_json()["id"] for n in range(3)}
    health = {upload("arsip", text_pdf(f"{word} {n}"), application_id=application_in("KESEHATAN"),
                     doc_type="BAP").get_json()["id"] for n in range(2)}
    first, second = (search("teknis_pupr", word, page_size=2, page=page) for page in (1, 2))
    assert (first["total"], first["exact_total"], second["total"]) == (3, True, 3)
    assert found_ids(first) | found_ids(second) == pupr and len(found_ids(first)) == 2
    assert page_count(app, "teknis_pupr", word, page_size=2) == (3, True)
    assert search("pimpinan", word, page_size=2)["total"] == 5
    assert found_ids(search("teknis_kesehatan", word)) == health

    monkeypatch.setattr(search_module, "EXACT_TOTAL_CAP", 2)
    capped = search("teknis_pupr", word, page_size=1)
    assert (capped["total"], capped["exact_total"]) == (2, False)
    assert page_count(app, "teknis_pupr", word, page_size=1) == (2, False)


def _identity_queries(nik: str, npwp15: str) -> list[str]:
    return [
        f"nik:{nik}", f"nik:{nik[:10]}*", f"nik:[{nik[:10]}000000 TO {nik[:10]}999999]", f"nik:{nik[:-1]}?",
        nik, f"{nik[:10]}*", f'"{spaced(nik)}"', f"{nik}~", f"{nik[:-1]}?",
        f"npwp:0{npwp15}", f"npwp:0{npwp15[:8]}*", npwp15, f'"{dotted(npwp15)}"', f"{npwp15[:9]}*",
        f"[{npwp15[:9]}000000 TO {npwp15[:9]}999999]",
    ]


def test_finding_2_without_identity_no_query_finds_a_nik_or_npwp(app, upload, search, applicant_application):
    application_id, nik, npwp15 = applicant_application()
    word = fresh_word()
    document = upload("arsip", text_pdf(f"{word} NIK {spaced(nik)} NPWP {dotted(npwp15)}"),
                      application_id=application_id, doc_type="BAP").get_json()["id"]
    for username in WITHOUT_IDENTITY:
        assert document in found_ids(search(username, word)), username  # the document itself is visible
    for query in _identity_queries(nik, npwp15):
        # Identity may search by the numbers: each form finds the document...
        assert document in found_ids(search("arsip", f"{word} AND ({query})")), query
        for username in WITHOUT_IDENTITY:
            # ... without it, no form finds it, nor changes any count.
            for q in (query, f"{word} AND ({query})"):
                body = search(username, q)
                assert (body["hits"], body["total"]) == ([], 0), (username, q)
    for username in ("pimpinan", "teknis_pupr"):
        assert search(username, "1377*")["total"] == 0
        assert page_count(app, username, nik) == (0, True)


# --- finding 5: masking before the snippet is cut --------------------------------------------------
def test_finding_5_snippets_mask_spaced_dotted_and_the_applicants_own_numbers(app, upload, search,
                                                                             applicant_application):
    word = fresh_word()
    numbers = {}
    # Written as scans write them, the NPWP at several distances from the match (the snippet's edge).
    for filler in (2, 6, 10, 14):
        application_id, nik, npwp15 = applicant_application()
        text = "\n".join([f"NIK pemohon {nik[:4]}  {nik[4:8]} {nik[8:12]}  {nik[12:]} {word}",
                          " ".join(["isian"] * filler),
                          f"NPWP {dotted(npwp15)} NIK {spaced(nik)}",
                          f"lagi {nik[:4]}-{nik[4:8]}-{nik[8:12]}-{nik[12:]}"])
        document = upload("arsip", text_pdf(text), application_id=application_id, doc_type="BAP").get_json()["id"]
        numbers[document] = nik, npwp15
    hits = search("pimpinan", word)["hits"]
    assert {hit["document_id"] for hit in hits} == set(numbers)
    for hit in hits:
        nik, npwp15 = numbers[hit["document_id"]]
        snippet = html.unescape(re.sub(r"<[^>]+>", "", hit["snippet"]))
        assert f"**** **** **** {nik[-4:]} {word}" in snippet, snippet
        for run in re.findall(r"\d+", snippet.replace(word, "")):
            # Only (part of) the last four digits of either number ever show, in every hit alike.
            assert run in nik[-4:] or run in npwp15[-4:], (run, snippet)
    identity_view = search("arsip", word)["hits"]
    assert all(numbers[hit["document_id"]][0][:4] in hit["snippet"] for hit in identity_view)


# --- finding 6: identity documents ---------------------------------------------------------------
@pytest.mark.parametrize("doc_type", ["KTP", "NPWP"])
def test_finding_6_identity_documents_are_not_found_without_identity(app, upload, search, application_in,
                                                                      doc_type):
    word = fresh_word()
    document = upload("fo", text_pdf(f"{word} kartu"), application_id=application_in("PUPR"),
                      doc_type=doc_type).get_json()["id"]
    assert found_ids(search("arsip", word)) == {document}
    assert found_ids(search("fo", word)) == {document}
    for username in WITHOUT_IDENTITY:
        assert_sees(app, search, username, word, set())


@pytest.mark.parametrize("doc_type", ["KTP", "NPWP"])
def test_finding_6_identity_document_files_are_refused_without_identity(app, upload, application_in, doc_type):
    application_id = application_in("PUPR")
    content = [text_pdf(f"{doc_type} versi {n} {fresh_word()}") for n in (1, 2)]
    first, second = (upload("fo", one, application_id=application_id, doc_type=doc_type).get_json()["id"]
                     for one in content)
    for username in ("pimpinan", "kadis", "teknis_pupr"):
        client = app.test_client()
        headers = api_token(client, username)
        for document in (first, second):
            response = client.get(f"/api/v1/document/{document}/file", headers=headers)
            assert response.status_code == 403, username
            assert "dokumen identitas" in response.get_json()["message"]
        web_login(client, username)
        for document in (first, second):  # the current version and the old one
            for path in (f"/documents/file/{document}", f"/documents/preview/{document}"):
                response = client.get(path)
                assert response.status_code == 403, (username, path)
                assert "dokumen identitas" in response.get_data(as_text=True), path
        page = client.get(f"/documents/show/{second}").get_data(as_text=True)
        assert "dokumen identitas" in page
        assert "/documents/file/" not in page and "/documents/preview/" not in page
    for username in ("fo", "arsip"):
        client = app.test_client()
        assert client.get(f"/api/v1/document/{first}/file", headers=api_token(client, username)).data == content[0]
        web_login(client, username)
        assert client.get(f"/documents/file/{second}").data == content[1]
        assert client.get(f"/documents/preview/{second}").status_code == 302
        assert f'id="download" href="/documents/file/{second}"' in client.get(f"/documents/show/{second}").get_data(
            as_text=True)


def test_other_document_files_stay_open_to_roles_without_identity(app, upload, application_in):
    content = text_pdf(f"Berita acara {fresh_word()}")
    document = upload("arsip", content, application_id=application_in("PUPR"), doc_type="BAP").get_json()["id"]
    for username in ("pimpinan", "teknis_pupr"):
        client = app.test_client()
        assert client.get(f"/api/v1/document/{document}/file", headers=api_token(client, username)).data == content


# --- the index keeps the applicant's numbers: an index of the old schema is rebuilt --------------------
def test_an_index_of_an_older_schema_is_rebuilt_and_refilled(app, upload, search, applicant_application):
    application_id, nik, _npwp15 = applicant_application()
    word = fresh_word()
    document = upload("arsip", text_pdf(f"{word} NIK {spaced(nik)}"), application_id=application_id,
                      doc_type="BAP").get_json()["id"]
    with app.app_context():
        index = get_archive().index
        (index.path / VERSION_FILE).unlink()  # as an index written before schema versions
        index._index = None  # as a process starting on it
    # Opened again: rebuilt with the stored NIK (masking reads it) and refilled from the database.
    assert found_ids(search("arsip", word)) == {document}
    assert (index.path / VERSION_FILE).read_text() == SCHEMA_VERSION
    with index.searcher() as searcher:
        assert searcher.document(doc_id=str(document))["nik"] == nik
    assert nik[4:8] not in search("pimpinan", word)["hits"][0]["snippet"]


def test_an_index_without_a_schema_version_is_replaced_not_opened(tmp_path):
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema

    whoosh_index.create_in(str(tmp_path), Schema(doc_id=ID(stored=True), nik=ID, content=TEXT))
    rebuilt = []
    index = ArchiveIndex(tmp_path, on_rebuilt=lambda: rebuilt.append(True))
    assert index.open().schema["nik"].stored and rebuilt == [True]
    again = ArchiveIndex(tmp_path, on_rebuilt=lambda: rebuilt.append(True))
    again.open()
    assert rebuilt == [True]
