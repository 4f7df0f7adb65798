"""Backup and restore: a consistent database dump, the object manifest, and (optionally) the objects.

A backup folder holds:
    backup.json        backend, time, counts, whether the objects are included
    database.sqlite    SQLite's online backup (one step, so a consistent copy), or
    database.pgdump    pg_dump's custom format, taken inside an exported snapshot
    manifest.jsonl     one line per stored version: document id, key, S3 version, SHA-256, size
    objects/<key>      the bytes (with --objects), each verified against its SHA-256 on the way

The manifest is listed from the rows of the dump itself (the SQLite copy, or the same PostgreSQL
snapshot pg_dump reads), so a backup taken during uploads names exactly the objects its rows point
to: an upload that commits after the snapshot is in neither. The search index is not backed up: a
restore rebuilds it from the restored rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg2
from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from app.storage import ObjectNotFound, ObjectStore, StorageError

INFO, MANIFEST, OBJECTS = "backup.json", "manifest.jsonl", "objects"
DUMPS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
Progress = Callable[[int], None]


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class ManifestEntry:
    document_id: int
    key: str
    version_id: str | None
    sha256: str
    size: int


def _backend(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in DUMPS:
        raise BackupError(f"Backups of {backend} databases are not supported (SQLite and PostgreSQL are).")
    return backend


# --- PostgreSQL ----------------------------------------------------------------------------------
def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq connection string for pg_dump/pg_restore, and the environment with the password."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    conninfo = " ".join(f"{name}={value}" for name, value in parts.items() if value)
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    return conninfo, env


def check_pg_tool(tool: str, connection) -> None:
    """pg_dump refuses a newer server; say so before starting, with both versions."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} was not found: install the PostgreSQL client (Debian: postgresql-client).")
    client = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    # "pg_dump (PostgreSQL) 15.20 (Debian ...)" against "15.20 (Debian ...)": the major versions.
    if int(re.search(r"\) (\d+)", client).group(1)) < int(re.match(r"\d+", server).group()):
        raise BackupError(f"{client} is older than the server (PostgreSQL {server}): install a matching client.")


def _dump_postgresql(url: URL, target: Path) -> list[tuple]:
    """pg_dump inside an exported snapshot; the document rows read in that same snapshot."""
    conninfo, env = _libpq(url)
    connection = psycopg2.connect(conninfo, password=url.password)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        check_pg_tool("pg_dump", connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", conninfo], env)
            cursor.execute("SELECT id, object_key, sha256, size FROM document ORDER BY id")
            return cursor.fetchall()
    finally:
        connection.close()


def _restore_postgresql(url: URL, dump: Path) -> None:
    conninfo, env = _libpq(url)
    connection = psycopg2.connect(conninfo, password=url.password)
    try:
        check_pg_tool("pg_restore", connection)
    finally:
        connection.close()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={conninfo}", str(dump)], env)


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# --- SQLite --------------------------------------------------------------------------------------
def _sqlite_copy(source_path: str, target_path: Path) -> None:
    """SQLite's online backup in one step: a consistent copy even while others write."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target, pages=-1)
    finally:
        source.close()
        target.close()


def _dump_sqlite(url: URL, target: Path) -> list[tuple]:
    _sqlite_copy(url.database, target)
    copy = sqlite3.connect(target)
    try:
        return copy.execute("SELECT id, object_key, sha256, size FROM document ORDER BY id").fetchall()
    finally:
        copy.close()


# --- backup --------------------------------------------------------------------------------------
class Backup:
    """One backup into `folder` (new or empty): dump_database(), then copy_objects()."""

    def __init__(self, database_uri: str, store: ObjectStore, folder: Path):
        self.url = make_url(database_uri)
        self.backend = _backend(self.url)
        self.store = store
        self.folder = folder
        self.rows: list[tuple] = []

    def dump_database(self) -> int:
        """The dump, and the document rows it holds; returns how many."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if any(self.folder.iterdir()):
            raise BackupError(f"{self.folder} is not empty: back up into a new folder.")
        dump = self.folder / DUMPS[self.backend]
        self.rows = _dump_postgresql(self.url, dump) if self.backend == "postgresql" else _dump_sqlite(self.url, dump)
        return len(self.rows)

    def copy_objects(self, with_objects: bool, progress: Progress = lambda n: None) -> list[str]:
        """The manifest of the dump's rows (and their bytes); returns the problems, each a sentence."""
        problems = []
        with open(self.folder / MANIFEST, "w") as manifest:
            for document_id, key, sha256, size in self.rows:
                entry, problem = _manifest_entry(self.store, self.folder, document_id, key, sha256, size, with_objects)
                if problem:
                    problems.append(problem)
                if entry:
                    manifest.write(json.dumps(asdict(entry)) + "\n")
                progress(1)
        info = {"backend": self.backend, "taken_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "documents": len(self.rows), "objects": with_objects, "bucket": self.store.bucket,
                "problems": problems}
        (self.folder / INFO).write_text(json.dumps(info, indent=1))
        return problems


def _manifest_entry(store, folder, document_id, key, sha256, size, with_objects):
    try:
        version_id = store.stat(key).version_id
        if with_objects:
            copied = _copy_object(store, key, version_id, _object_path(folder, key))
            if copied != sha256:
                return None, f"document {document_id}: object {key} does not match its SHA-256 (run flask sigap check)"
    except ObjectNotFound:
        return None, f"document {document_id}: object {key} is missing (deleted since the dump, or damaged)"
    return ManifestEntry(document_id, key, version_id, sha256, size), None


def _object_path(folder: Path, key: str) -> Path:
    path = (folder / OBJECTS / key).resolve()
    if not path.is_relative_to((folder / OBJECTS).resolve()):
        raise BackupError(f"Refusing an object key outside the backup folder: {key!r}")
    return path


def _copy_object(store: ObjectStore, key: str, version_id: str | None, path: Path) -> str:
    """Downloads one version into `path`, returning its SHA-256."""
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with store.open_stream(key, version_id=version_id) as chunks, open(path, "wb") as out:
        for chunk in chunks:
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


# --- restore -------------------------------------------------------------------------------------
def read_manifest(folder: Path) -> list[ManifestEntry]:
    with open(folder / MANIFEST) as manifest:
        return [ManifestEntry(**json.loads(line)) for line in manifest if line.strip()]


def restore_database(engine, folder: Path) -> dict:
    """Loads the dump into the (empty) database of `engine`; returns the backup's info."""
    info = json.loads((folder / INFO).read_text())
    url = engine.url
    backend = _backend(url)
    if info["backend"] != backend:
        raise BackupError(f"This backup is of a {info['backend']} database; the target is {backend}.")
    tables = inspect(engine).get_table_names()
    engine.dispose()
    if tables:
        raise BackupError(f"The target database already has {len(tables)} tables: restore onto a fresh instance "
                          "(a new, empty database).")
    dump = folder / DUMPS[backend]
    if backend == "postgresql":
        _restore_postgresql(url, dump)
    else:
        _sqlite_copy(str(dump), Path(url.database))
    return info


def restore_objects(store: ObjectStore, folder: Path, entries: list[ManifestEntry], media_types: dict[int, str],
                    progress: Progress) -> list[str]:
    """Puts the backed-up objects back under their keys (with the media type of their restored row), or
    (a backup without objects) checks the store still holds each one. Returns the problems, each a sentence."""
    problems = []
    store.ensure_bucket()
    for entry in entries:
        try:
            problem = _restore_object(store, folder, entry, media_types.get(entry.document_id))
        except StorageError as error:
            problem = f"document {entry.document_id}: {error}"
        if problem:
            problems.append(problem)
        progress(1)
    return problems


def _restore_object(store: ObjectStore, folder: Path, entry: ManifestEntry, media_type: str | None) -> str | None:
    path = _object_path(folder, entry.key)
    if path.exists():
        with open(path, "rb") as source:
            stored = store.put_at(entry.key, source, media_type or "application/octet-stream")
        digest = stored.sha256
    else:
        try:
            digest = store.sha256_of(entry.key)
        except ObjectNotFound:
            return f"document {entry.document_id}: object {entry.key} is neither in the backup nor in the store"
    if digest != entry.sha256:
        return f"document {entry.document_id}: object {entry.key} does not match its SHA-256"
    return None
