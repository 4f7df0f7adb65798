"""The journeys' step-form helper on a form it has never seen (fields another step may add): every required
field is filled by its kind, the answers given go where they belong, optional fields stay empty."""

import pytest

from tests.web.step_form import fill_step

# As app/templates/sigap/step.html renders fields: one .form-group each, required ones marked " *".
FORM = """<form id="step-form">
  <div class="form-group"><label for="decision">Keputusan *</label>
    <div class="radio"><label><input type="radio" name="decision" value="setuju"> Setuju</label></div>
    <div class="radio"><label><input type="radio" name="decision" value="tolak"> Tolak</label></div></div>
  <div class="form-group"><label for="checked">Persyaratan diperiksa</label>
    <div class="checkbox"><label><input type="checkbox" name="checked" value="1"> KTP</label></div>
    <div class="checkbox"><label><input type="checkbox" name="checked" value="2"> NPWP</label></div></div>
  <div class="form-group"><label for="classification">Klasifikasi *</label>
    <select name="classification"><option value=""></option><option value="500.16">500.16</option>
      <option value="500.17">500.17</option></select></div>
  <div class="form-group"><label for="retention_years">Retensi (tahun)</label>
    <input type="number" name="retention_years" required></div>
  <div class="form-group"><label for="location">Lokasi simpan *</label><input type="text" name="location"></div>
  <div class="form-group"><label for="kept_on">Tanggal *</label><input type="date" name="kept_on"></div>
  <div class="form-group"><label for="letter">Surat *</label><input type="file" name="letter"></div>
  <div class="form-group"><label for="note">Catatan</label><input type="text" name="note"></div>
</form>"""
VALUES = """form => {
    const data = new FormData(form);
    return Object.fromEntries([...new Set(data.keys())].map(key => [key, data.getAll(key).map(
        value => typeof value === "string" ? value : value.name + " " + value.size)]));
}"""


@pytest.fixture
def form_page(browser):
    page = browser.new_page()
    page.set_content(FORM)
    yield page
    page.close()


def test_required_fields_are_filled_by_kind_and_checklists_ticked(form_page):
    fill_step(form_page, location="Rak 3")
    values = form_page.locator("#step-form").evaluate(VALUES)
    assert values["decision"] == ["setuju"] and values["checked"] == ["1", "2"]
    assert values["classification"] == ["500.16"] and values["retention_years"] == ["5"]
    assert values["location"] == ["Rak 3"] and values["kept_on"] == ["2026-11-20"] and values["note"] == [""]
    assert values["letter"][0].startswith("letter.pdf ") and values["letter"][0] != "letter.pdf 0"


def test_answers_choose_and_a_field_the_form_lacks_fails(form_page):
    fill_step(form_page, decision="tolak", checked=["2"], classification="500.17", note="Sudah")
    values = form_page.locator("#step-form").evaluate(VALUES)
    assert (values["decision"], values["checked"], values["classification"], values["note"]) == (
        ["tolak"], ["2"], ["500.17"], ["Sudah"])
    with pytest.raises(AssertionError, match="no field"):
        fill_step(form_page, outcome="approve")
