"""Filling a workflow step's form (/tasks/<id>) in the browser, the one place that knows what the forms ask.

The helper reads the form's own fields (name, kind, required) and fills each required one as a clerk would:
the journey's answer where it gives one, else a plain value of the field's kind. A field added to a step's
form is filled without changing any journey; only a field needing a particular value is taught here.
"""

from __future__ import annotations

import uuid

from tests.archive.samples import text_pdf

# Each field of the step form: its name, the kind of control, whether the form requires it, a select's values.
READ_FIELDS = """form => Array.from(form.querySelectorAll(".form-group")).map(group => {
    const control = group.querySelector("select, textarea, input:not([type=hidden])");
    const label = group.querySelector("label");
    return {name: control.name, kind: control.tagName === "INPUT" ? control.type : control.tagName.toLowerCase(),
            required: control.required || /\\*\\s*$/.test(label ? label.textContent : ""),
            choices: control.tagName === "SELECT" ? Array.from(control.options).map(o => o.value).filter(v => v) : []};
})"""

# A plain value for each kind of field (office time for dates and times, as the clerk types it).
PLAIN = {"date": lambda: "2026-11-20", "datetime-local": lambda: "2026-11-27T09:00", "number": lambda: "5",
         "text": lambda: f"Isian {uuid.uuid4().hex[:8]}", "textarea": lambda: f"Catatan {uuid.uuid4().hex[:8]}"}


def step_fields(page) -> list[dict]:
    return page.locator("#step-form").evaluate(READ_FIELDS)


def fill_step(page, **answers) -> None:
    """Fills the open step form: each answer into its field, and every other required field with a plain value.

    An answer is a select's or radio button's value, a text, a list of checklist values, or the bytes of a PDF
    for a file field. Checklists not answered are ticked in full (every requirement checked); a required select
    or set of radio buttons not answered takes its first choice."""
    fields = step_fields(page)
    unknown = set(answers) - {field["name"] for field in fields}
    assert not unknown, f"the form has no field {unknown}: {[field['name'] for field in fields]}"
    for field in fields:
        name, kind = field["name"], field["kind"]
        if kind == "checkbox":
            _tick(page, name, answers.get(name))
        elif name in answers or field["required"]:
            _fill(page, field, answers.get(name))


def _tick(page, name, values) -> None:
    for box in page.locator(f"#step-form input[type=checkbox][name='{name}']").all():
        if values is None or box.get_attribute("value") in values:
            box.check()


def _fill(page, field, answer) -> None:
    control = page.locator(f"#step-form [name='{field['name']}']")
    if field["kind"] == "select":
        control.select_option(answer if answer is not None else field["choices"][0])
    elif field["kind"] == "radio":
        chosen = f"[value='{answer}']" if answer is not None else ""
        page.locator(f"#step-form [name='{field['name']}']{chosen}").first.check()
    elif field["kind"] == "file":
        content = answer if answer is not None else text_pdf(f"Berkas {field['name']} {uuid.uuid4().hex[:8]}")
        control.set_input_files({"name": f"{field['name']}.pdf", "mimeType": "application/pdf", "buffer": content})
    else:
        control.fill(answer if answer is not None else PLAIN.get(field["kind"], PLAIN["text"])())


def submit_step(page) -> None:
    """Completes the step; the form shown again with its errors fails the test, naming them."""
    with page.expect_navigation():
        page.click("#step-form [type=submit]")
    if page.locator("#step-form").count():
        errors = page.locator(".help-block, .alert-danger").all_inner_texts()
        raise AssertionError(f"the step form was refused: {errors}")
    assert page.locator(".alert-success").count(), page.url
