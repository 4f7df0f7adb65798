"""Reindex benchmark: the real `flask sigap reindex` over a SQLite database holding N documents' page text.

    python -m bench.reindex_bench [--corpus realistic|simple] 100000 [--out bench/out]

Fills a fresh database with a benchmark corpus (`realistic`, the default: bench/corpus_realistic.py;
`simple`: bench/corpus.py) (document rows and one row per page, inserted
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

from bench import corpus, corpus_realistic

BATCH = 2000
CORPORA = {"realistic": corpus_realistic.document, "simple": corpus.document}
REPO = Path(__file__).resolve().parent.parent


def fill(database: Path, size: int, document) -> None:
    from app import create_app, metadata
    from app.extensions import db as flask_db

    flask_app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with flask_app.app_context():
        metadata().create_all(flask_db.engine)
    with sqlite3.connect(database) as db:
        db.executemany("INSERT INTO sector (id, code, name, agency_name) VALUES (?, ?, ?, ?)",
                       [(n, f"S{n}", f"Sektor {n}", f"Dinas {n}") for n in range(1, 11)])
        types: dict[str, int] = {}
        for start in range(0, size, BATCH):
            documents = [document(n) for n in range(start, min(size, start + BATCH))]
            _add_types(db, types, {d["document_type"] for d in documents})
            db.executemany(
                "INSERT INTO document (id, sector_id, document_type_id, object_key, original_filename, media_type,"
                " size, sha256, version, is_current, uploaded_at, extraction_state)"
                " VALUES (?, ?, ?, ?, ?, 'application/pdf', ?, ?, 1, 1, ?, 'indexed')",
                [(int(d["doc_id"]) + 1, int(d["sector"]), types[d["document_type"]],
                  f"documents/{d['doc_id']}", d["filename"], len(d["content"]),
                  hashlib.sha256(d["content"].encode()).hexdigest(), d["uploaded_at"].isoformat(" "))
                 for d in documents])
            db.executemany("INSERT INTO document_page (document_id, number, text, ocr) VALUES (?, ?, ?, 0)",
                           [(int(d["doc_id"]) + 1, number, text) for d in documents
                            for number, text in enumerate(d["content"].split("\f"), start=1)])


def _add_types(db, types: dict[str, int], codes: set[str]) -> None:
    """Document types rows for the codes not seen yet (each corpus has its own)."""
    for code in sorted(codes - types.keys()):
        types[code] = len(types) + 1
        db.execute("INSERT INTO document_type (id, code, name) VALUES (?, ?, ?)", (types[code], code, code))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="realistic")
    parser.add_argument("--batch", type=int, default=5000, help="The reindex command's --batch.")
    parser.add_argument("--trace", action="store_true", help="Print the child's memory every 10 s.")
    parser.add_argument("--out", default="bench/out")
    args = parser.parse_args()
    out = (Path(args.out) / f"reindex-{args.corpus}-{args.size}").resolve()
    database = out / "sigap.db"
    if not database.exists():  # a filled database is kept for the next run: filling 100k takes minutes
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        fill(out / "filling.db", args.size, CORPORA[args.corpus])
        (out / "filling.db").rename(database)
    shutil.rmtree(out / "index", ignore_errors=True)
    env = {**os.environ, "SIGAP_INSTANCE_DIR": str(out), "DATABASE_URL": f"sqlite:///{database}",
           "SIGAP_INDEX_DIR": str(out / "index")}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "sigap", "reindex", "--batch",
                              str(args.batch)], env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    peaks = _peak_memory(child, args.trace)
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"reindex failed ({child.returncode})")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime  # steadier than the wall clock on a shared machine
    print(f"reindex ({args.corpus}, batch {args.batch}): {args.size} documents in {seconds:.0f} s = {args.size / seconds:.0f} docs/s "
          f"({cpu:.0f} CPU s = {args.size / cpu:.0f} docs per CPU s), peak RSS {usage.ru_maxrss / 1024:.0f} MB "
          f"(target >= 300 docs/s, <= 1024 MB); peak anonymous {peaks['RssAnon'] / 1024:.0f} MB, "
          f"peak file-backed (mmapped index files) {peaks['RssFile'] / 1024:.0f} MB")


def _peak_memory(child: subprocess.Popen, trace: bool) -> dict[str, int]:
    """The child's peak anonymous and file-backed resident memory (kB), sampled until it exits; with
    trace, both printed every 10 s (where the memory goes as the index grows)."""
    peaks = {"RssAnon": 0, "RssFile": 0}
    started = time.monotonic()
    samples = 0
    while child.poll() is None:
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except OSError:
            break
        current = {}
        for line in status.splitlines():
            name, _, value = line.partition(":")
            if name in peaks:
                peaks[name] = max(peaks[name], int(value.split()[0]))
                current[name] = int(value.split()[0])
        samples += 1
        if trace and samples % 50 == 0:
            print(f"{time.monotonic() - started:5.0f} s: anonymous {current['RssAnon'] / 1024:.0f} MB, "
                  f"file-backed {current['RssFile'] / 1024:.0f} MB", file=sys.stderr, flush=True)
        time.sleep(0.2)
    child.wait()
    return peaks

if __name__ == "__main__":
    main()
