"""Search benchmark: SIGAP's Whoosh index beside SQLite FTS5 on the same corpus, in the same run.

    python -m bench.search_bench 10000 [--out bench/out]

Builds the index in batches through ArchiveIndex.write (the path `flask sigap reindex` takes), then runs
a fixed query mix (terms, AND, phrases, NIK lookups, prefixes): top 20, highlights of the top 10.
Prints documents/s, peak RSS, and p50/p95/max per engine.
"""

import argparse
import random
import resource
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from app.archive.index import ArchiveIndex
from app.archive.search import ArchiveSearch, SearchRequest
from bench.corpus import document, nik

BATCH = 2000
TERMS = ["perizinan", "izin", "bangunan", "rekomendasi", "sanitasi", "retribusi", "triwulan", "pariaman", "naras"]


def query_mix(size: int, count: int = 200, seed: int = 7) -> list[tuple[str, str, str]]:
    """(kind, whoosh query, fts5 query)."""
    rng = random.Random(seed)
    queries = []
    for number in range(count):
        kind = ("term", "and", "phrase", "nik", "prefix")[number % 5]
        a, b = rng.sample(TERMS, 2)
        if kind == "term":
            queries.append((kind, a, a))
        elif kind == "and":
            queries.append((kind, f"{a} AND {b}", f"{a} AND {b}"))
        elif kind == "phrase":
            queries.append((kind, '"pemeriksaan lapangan"', '"pemeriksaan lapangan"'))
        elif kind == "nik":
            value = document(rng.randrange(size))["nik"]
            queries.append((kind, f"nik:{value}", f"nik:{value}"))
        else:
            prefix = rng.choice(["1377*", "rekomend*", "perizin*", nik(rng)[:8] + "*"])
            queries.append((kind, prefix, prefix))
    return queries


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_whoosh(path: Path, size: int) -> float:
    index = ArchiveIndex(path)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        index.write([document(n) for n in range(start, min(size, start + BATCH))], [])
    return size / (time.perf_counter() - started)


def build_fts5(path: Path, size: int) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(doc_id UNINDEXED, nik, content, tokenize='unicode61')")
    for start in range(0, size, BATCH):
        db.executemany("INSERT INTO doc VALUES (?, ?, ?)", [
            (d["doc_id"], d["nik"], d["content"]) for d in map(document, range(start, min(size, start + BATCH)))])
    db.commit()
    return db


def timed(run, queries) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"{name:8s} p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms   max {ordered[-1]:8.1f} ms"


def fts5_query(db):
    def run(query):
        db.execute("SELECT doc_id, snippet(doc, 2, '<mark>', '</mark>', '…', 20) FROM doc WHERE doc MATCH ? "
                   "ORDER BY rank LIMIT 20", (query,)).fetchall()
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("--out", default="bench/out")
    args = parser.parse_args()
    out = Path(args.out) / f"search-{args.size}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rate = build_whoosh(out / "index", args.size)
    print(f"index build: {args.size} documents at {rate:.0f} docs/s, peak RSS {peak_rss_mb():.0f} MB")
    db = build_fts5(out / "fts5.db", args.size)
    queries = query_mix(args.size)
    search = ArchiveSearch(ArchiveIndex(out / "index"))
    # As a role that may see NIK and NPWP (the NIK lookups need it), over every sector.
    whoosh_times = timed(lambda q: search.search(SearchRequest(q[1], may_see_identity=True)), queries)
    fts_times = timed(lambda q: fts5_query(db)(q[2]), queries)
    print("target: whoosh p95 <= 50 ms and max <= 1000 ms at 100k documents")
    for engine, times in (("whoosh", whoosh_times), ("fts5", fts_times)):
        print(summary(engine, times))
        for kind in ("term", "and", "phrase", "nik", "prefix"):
            print(summary(f"  {kind}", [t for t, q in zip(times, queries) if q[0] == kind]))
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
