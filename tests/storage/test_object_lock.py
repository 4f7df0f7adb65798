"""WORM retention of stored originals (S3 object lock) on the real local S3 server (SeaweedFS supports it;
MinIO does too, see README): a locked original cannot be deleted, and a bucket without lock support is
used without retention and says so."""

import datetime as dt
import io
import logging

import pytest

from app.storage import ObjectStore
from app.storage.errors import StorageError

DAYS = 3


def locked_store(s3_server, bucket, days=DAYS) -> ObjectStore:
    return ObjectStore(s3_server.endpoint, s3_server.access_key, s3_server.secret_key, bucket,
                       timeout_seconds=3.0, lock_days=days)


def test_new_bucket_keeps_originals_for_the_retention_period(s3_server, bucket):
    store = locked_store(s3_server, bucket)
    store.ensure_bucket()
    assert store.worm
    stored = store.put_stream(io.BytesIO(b"%PDF-1.4 asli"), "application/pdf")
    mode, until = store.retention(stored.key)
    expected = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=DAYS)
    assert mode == "GOVERNANCE" and abs(until - expected) < dt.timedelta(minutes=5)
    with pytest.raises(StorageError):
        store.remove(stored.key)
    assert store.sha256_of(stored.key) == stored.sha256  # still there, unchanged


def test_bucket_without_lock_support_stores_without_retention_and_warns(s3_server, bucket, make_store, caplog,
                                                                       monkeypatch):
    make_store().ensure_bucket()  # made earlier, without object lock
    store = locked_store(s3_server, bucket)
    # Alembic's logging set-up (migrations/alembic.ini) disables the loggers that existed before it ran.
    monkeypatch.setattr(logging.getLogger("app.storage.store"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="app.storage.store"):
        store.ensure_bucket()
    assert not store.worm
    assert f"Bucket {bucket} has no object lock" in caplog.text and "WITHOUT the 3-day WORM retention" in caplog.text
    stored = store.put_stream(io.BytesIO(b"%PDF-1.4 tanpa kunci"), "application/pdf")
    assert store.retention(stored.key) is None
    store.remove(stored.key)
    assert not store.exists(stored.key)


def test_no_retention_unless_configured(store):
    stored = store.put_stream(io.BytesIO(b"%PDF-1.4 biasa"), "application/pdf")
    assert not store.worm and store.retention(stored.key) is None


def test_retention_period_comes_from_the_configuration(s3_server):
    store = ObjectStore.from_config({
        "S3_ENDPOINT": s3_server.endpoint, "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b", "S3_BUCKET": "c",
        "S3_OBJECT_LOCK_DAYS": "3650", "S3_OBJECT_LOCK_MODE": "COMPLIANCE"})
    assert (store.lock_days, store.lock_mode) == (3650, "COMPLIANCE")
