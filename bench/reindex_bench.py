"""Reindex benchmark: the real `flask sigap reindex` over a SQLite database holding N documents' page text.

    python -m bench.reindex_bench 100000 [--out bench/out]

Fills a fresh database with the search benchmark's corpus (document rows and one row per page, inserted
with executemany; reindex reads the stored text, so no object storage is needed), then runs
`flask --app app sigap reindex` in a child process and prints documents/s and the child's peak RSS.
The documents are loose archive scans (no application rows): their identity numbers are in the text.
"""

import argparse
import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import TYPES, document

BATCH = 2000
REPO = Path(__file__).resolve().parent.parent


def fill(database: Path, size: int) -> None:
    from app import create_app, metadata
    from app.extensions import db as flask_db

    flask_app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with flask_app.app_context():
        metadata().create_all(flask_db.engine)
    with sqlite3.connect(database) as db:
        db.executemany("INSERT INTO sector (id, code, name, agency_name) VALUES (?, ?, ?, ?)",
                       [(n, f"S{n}", f"Sektor {n}", f"Dinas {n}") for n in range(1, 11)])
        db.executemany("INSERT INTO document_type (id, code, name) VALUES (?, ?, ?)",
                       [(n, code, code) for n, code in enumerate(TYPES, start=1)])
        for start in range(0, size, BATCH):
            documents = [document(n) for n in range(start, min(size, start + BATCH))]
            db.executemany(
                "INSERT INTO document (id, sector_id, document_type_id, object_key, original_filename, media_type,"
                " size, sha256, version, is_current, uploaded_at, extraction_state)"
                " VALUES (?, ?, ?, ?, ?, 'application/pdf', ?, ?, 1, 1, ?, 'indexed')",
                [(int(d["doc_id"]) + 1, int(d["sector"]), TYPES.index(d["document_type"]) + 1,
                  f"documents/{d['doc_id']}", d["filename"], len(d["content"]),
                  hashlib.sha256(d["content"].encode()).hexdigest(), d["uploaded_at"].isoformat(" "))
                 for d in documents])
            db.executemany("INSERT INTO document_page (document_id, number, text, ocr) VALUES (?, ?, ?, 0)",
                           [(int(d["doc_id"]) + 1, number, text) for d in documents
                            for number, text in enumerate(d["content"].split("\f"), start=1)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("--out", default="bench/out")
    args = parser.parse_args()
    out = (Path(args.out) / f"reindex-{args.size}").resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    fill(out / "sigap.db", args.size)
    env = {**os.environ, "SIGAP_INSTANCE_DIR": str(out), "DATABASE_URL": f"sqlite:///{out / 'sigap.db'}",
           "SIGAP_INDEX_DIR": str(out / "index")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "sigap", "reindex"], env=env, cwd=REPO,
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"reindex: {args.size} documents in {seconds:.0f} s = {args.size / seconds:.0f} docs/s, "
          f"peak RSS {peak:.0f} MB (target >= 300 docs/s, <= 1024 MB)")


if __name__ == "__main__":
    main()
