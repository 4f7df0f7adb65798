"""Search benchmark: SIGAP's Whoosh index beside SQLite FTS5 on the same corpus, in the same run.

    python -m bench.search_bench [--corpus realistic|simple] 10000 [--out bench/out] [--reuse]

Builds the index in batches through ArchiveIndex.write (the path `flask sigap reindex` takes), then runs
the corpus's query mix (terms, AND, phrases, NIK lookups, prefixes): top 20, highlights of the top 10.
Prints documents/s, peak RSS, and per engine p50/p95/p99/max with the p95 of each kind of query, in wall
clock and in CPU time (the machine is shared: CPU time shows what the code costs, wall what a user waits).
The engines take turns query by query, so that a busy moment of the machine falls on all of them alike.
Rows: SIGAP as a role that may see NIK and NPWP, SQLite FTS5, and SIGAP as Pimpinan (no Identity, every
sector: the permission filter and the exact total up to EXACT_TOTAL_CAP take part).
`--reuse` keeps an index and fts5.db built by an earlier run of the same size and corpus (queries only).

Corpora: `simple` (bench/corpus.py: pages drawn from 12 fixed sentences) and `realistic`
(bench/corpus_realistic.py: permit files with a Zipf vocabulary, inflected forms, OCR noise; issue 12).
"""

import argparse
import math
import random
import resource
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from app.archive.index import ArchiveIndex
from app.archive.search import ArchiveSearch, SearchRequest
from bench import corpus, corpus_realistic
from bench.corpus import document, nik

BATCH = 2000
KINDS = ("term", "and", "phrase", "nik", "prefix")
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


# name: (document(n), query_mix(size))
CORPORA = {
    "simple": (corpus.document, query_mix),
    "realistic": (corpus_realistic.document, corpus_realistic.query_mix),
}


def build_whoosh(path: Path, size: int, make=document) -> float:
    """Documents per second, generation excluded (documents are made batch by batch, outside the clock)."""
    index = ArchiveIndex(path)
    spent = 0.0
    for start in range(0, size, BATCH):
        batch = [make(n) for n in range(start, min(size, start + BATCH))]
        started = time.perf_counter()
        index.write(batch, [])
        spent += time.perf_counter() - started
    return size / spent


def build_fts5(path: Path, size: int, make=document) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE doc USING fts5(doc_id UNINDEXED, nik, content, tokenize='unicode61')")
    for start in range(0, size, BATCH):
        db.executemany("INSERT INTO doc VALUES (?, ?, ?)", [
            (d["doc_id"], d["nik"], d["content"]) for d in map(make, range(start, min(size, start + BATCH)))])
    db.commit()
    return db


def timed_in_turns(runs: dict, queries) -> dict[str, tuple[list[float], list[float]]]:
    """Per engine (wall ms, CPU ms) of each query, the engines running each query one after another."""
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    for query in queries:
        for name, run in runs.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            run(query)
            times[name][0].append((time.perf_counter() - started) * 1000)
            times[name][1].append((time.process_time() - started_cpu) * 1000)
    return times


def percentile(times: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(times)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def row(engine: str, times: list[float], queries) -> str:
    per_kind = " / ".join(f"{percentile([t for t, q in zip(times, queries) if q[0] == kind], 0.95):.1f}"
                          for kind in KINDS)
    return (f"| {engine} | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | "
            f"{percentile(times, 0.99):.1f} | {max(times):.0f} | {per_kind} |")


def fts5_query(db):
    def run(query):
        db.execute("SELECT doc_id, snippet(doc, 2, '<mark>', '</mark>', '…', 20) FROM doc WHERE doc MATCH ? "
                   "ORDER BY rank LIMIT 20", (query,)).fetchall()
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("size", type=int)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="simple")
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--reuse", action="store_true", help="keep the index and fts5.db of an earlier run")
    args = parser.parse_args()
    make, mix = CORPORA[args.corpus]
    out = Path(args.out) / f"search-{args.corpus}-{args.size}"
    if args.reuse and (out / "index").is_dir() and (out / "fts5.db").is_file():
        print(f"{args.corpus} corpus, {args.size} documents: index and fts5.db reused from {out}")
        db = sqlite3.connect(out / "fts5.db")
    else:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        rate = build_whoosh(out / "index", args.size, make)
        print(f"{args.corpus} corpus, index build: {args.size} documents at {rate:.0f} docs/s, "
              f"peak RSS {peak_rss_mb():.0f} MB")
        db = build_fts5(out / "fts5.db", args.size, make)
    queries = mix(args.size)
    search = ArchiveSearch(ArchiveIndex(out / "index"))
    times = timed_in_turns({
        # As a role that may see NIK and NPWP (the NIK lookups need it), over every sector.
        "SIGAP": lambda q: search.search(SearchRequest(q[1], may_see_identity=True)),
        "SQLite FTS5": lambda q: fts5_query(db)(q[2]),
        "SIGAP as Pimpinan": lambda q: search.search(SearchRequest(q[1], may_see_identity=False)),
    }, queries)
    print(f"{len(queries)} queries, top 20, highlights of the top 10 (issue 12 targets at 100k, realistic corpus: "
          "p95 <= 50 ms, p99 <= 150 ms, max <= 1000 ms, p95 <= 0.4x FTS5's)")
    for clock, column in (("wall clock", 0), ("CPU time", 1)):
        print(f"\n{clock}")
        print("| engine | p50 ms | p95 ms | p99 ms | max ms | p95 term / AND / phrase / NIK / prefix |")
        print("|---|---:|---:|---:|---:|---|")
        for engine, measured in times.items():
            print(row(engine, measured[column], queries))
    ratio = percentile(times["SIGAP"][0], 0.95) / percentile(times["SQLite FTS5"][0], 0.95)
    cpu_ratio = percentile(times["SIGAP"][1], 0.95) / percentile(times["SQLite FTS5"][1], 0.95)
    print(f"\nSIGAP p95 / FTS5 p95: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU; peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
