"""The starter service catalogue (catalogue.yaml), loaded idempotently by `flask sigap init`."""

from pathlib import Path

import yaml

from app.models import (
    ArchiveClassification, Channel, Disposition, DocumentType, Sector, Service, ServiceRequirement,
)

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")


def _by_code(session, model, code, **values):
    """Insert a catalogue row the first time; afterwards leave the Admin's edits alone."""
    row = session.query(model).filter_by(code=code).one_or_none()
    if row is None:
        row = model(code=code, **values)
        session.add(row)
        session.flush()
    return row


def load_catalogue(session, path: Path = CATALOGUE_FILE) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sectors = {s["code"]: _by_code(session, Sector, **s) for s in data["sectors"]}
    doc_types = {d["code"]: _by_code(session, DocumentType, **d) for d in data["document_types"]}
    classes = {
        a["code"]: _by_code(session, ArchiveClassification, **{**a, "disposition": Disposition[a["disposition"]]})
        for a in data["archive_classifications"]
    }
    for entry in data["services"]:
        entry = dict(entry)
        requirements = entry.pop("requirements", [])
        if session.query(Service).filter_by(code=entry["code"]).one_or_none() is not None:
            continue
        service = _by_code(
            session, Service,
            **{**entry, "channel": Channel[entry["channel"]], "sector": sectors[entry["sector"]],
               "archive_classification": classes.get(entry.get("archive_classification"))},
        )
        service.requirements = [
            ServiceRequirement(
                position=position,
                description=item["description"],
                document_type=doc_types.get(item.get("document_type")),
                mandatory=item.get("mandatory", True),
            )
            for position, item in enumerate(requirements, start=1)
        ]
    session.commit()
