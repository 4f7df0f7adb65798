"""ObjectStore against a real S3 server (SeaweedFS)."""

import hashlib
import io
import os
import re
import socket
import time
import tracemalloc
import urllib.error
import urllib.request

import pytest

from app.storage import FileTooLarge, ObjectNotFound, StorageError, StorageUnavailable
from app.storage.store import PART_SIZE

KEY_PATTERN = re.compile(r"^documents/\d{4}/\d{2}/[0-9a-f]{32}$")


class GeneratedFile:
    """A file-like object of `size` random bytes made on demand: never all in memory at once."""

    def __init__(self, size: int):
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = os.urandom(size)
        self.left -= size
        self.digest.update(data)
        return data


def download(store, key) -> bytes:
    with store.open_stream(key) as chunks:
        return b"".join(chunks)


def test_round_trip_keeps_bytes_digest_and_size(store):
    data = os.urandom(300_000)
    stored = store.put_stream(io.BytesIO(data), "application/pdf")

    assert KEY_PATTERN.match(stored.key)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert download(store, stored.key) == data
    assert store.sha256_of(stored.key) == stored.sha256
    info = store.stat(stored.key)
    assert (info.size, info.media_type) == (len(data), "application/pdf")
    assert store.exists(stored.key)
    assert list(store.iter_keys("documents/")) == [stored.key]


def test_empty_file_round_trip(store):
    stored = store.put_stream(io.BytesIO(b""), "text/plain")
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert download(store, stored.key) == b""


def test_large_stream_is_not_held_in_memory(store):
    # minio keeps about three 5 MiB parts alive while uploading (~15 MiB, whatever the file size), so
    # 40 MiB shows the peak does not grow with the file.
    size = 40 * 1024 * 1024
    source = GeneratedFile(size)
    tracemalloc.start()
    try:
        stored = store.put_stream(source, "application/pdf")
        upload_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        digest = store.sha256_of(stored.key)
        download_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert stored.size == size
    assert stored.sha256 == source.digest.hexdigest() == digest
    assert upload_peak < 3.5 * PART_SIZE < size / 2
    assert download_peak < 2 * 1024 * 1024


@pytest.mark.parametrize("size", [3 * 1024 * 1024, 13 * 1024 * 1024], ids=["one-part", "multipart"])
def test_too_large_leaves_nothing(store, leftovers, size):
    limit = size - 1024
    with pytest.raises(FileTooLarge) as raised:
        store.put_stream(GeneratedFile(size), "application/pdf", max_size=limit)

    assert raised.value.status == 413
    assert leftovers() == []


def test_exactly_max_size_is_accepted(store):
    stored = store.put_stream(io.BytesIO(b"x" * 1000), "text/plain", max_size=1000)
    assert stored.size == 1000


def test_missing_object(store):
    with pytest.raises(ObjectNotFound):
        store.open_stream("documents/2026/01/" + "0" * 32)
    with pytest.raises(ObjectNotFound):
        store.stat("documents/2026/01/" + "0" * 32)
    assert not store.exists("documents/2026/01/" + "0" * 32)


def test_bucket_is_versioned_and_remove_leaves_no_version(store, raw_client, bucket, leftovers):
    store.ensure_bucket()  # idempotent
    assert raw_client.get_bucket_versioning(bucket).status == "Enabled"

    stored = store.put_stream(io.BytesIO(b"version one"), "text/plain")
    assert stored.version_id
    store.remove(stored.key)

    assert not store.exists(stored.key)
    assert leftovers() == []


def test_store_creates_its_bucket_on_first_upload(make_store, raw_client, bucket):
    fresh = make_store()
    fresh.put_stream(io.BytesIO(b"first"), "text/plain")
    assert raw_client.get_bucket_versioning(bucket).status == "Enabled"


@pytest.mark.parametrize("bad", ["secret", "access"])
def test_wrong_credentials_are_refused(s3_server, make_store, store, bad):
    stored = store.put_stream(io.BytesIO(b"private"), "text/plain")
    if bad == "secret":
        intruder = make_store(secret_key=s3_server.secret_key + "x")
    else:
        intruder = make_store(access_key="someone-else")
    with pytest.raises(StorageError) as raised:
        intruder.open_stream(stored.key)
    assert not isinstance(raised.value, StorageUnavailable)
    assert "credentials" in str(raised.value)
    with pytest.raises(StorageError):
        intruder.put_stream(io.BytesIO(b"intrusion"), "text/plain")


def test_presigned_url_downloads_inline_and_refuses_tampering(store):
    data = os.urandom(10_000)
    stored = store.put_stream(io.BytesIO(data), "application/pdf")
    url = store.presigned_url(stored.key, 60, filename="Surat izin é.pdf", media_type="application/pdf")

    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.read() == data
        assert response.headers["Content-Type"] == "application/pdf"
        disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;") and "Surat%20izin%20%C3%A9.pdf" in disposition

    signature = re.search(r"X-Amz-Signature=([0-9a-f]+)", url).group(1)
    tampered = url.replace(signature, signature[:-1] + ("0" if signature[-1] != "0" else "1"))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(tampered, timeout=5)
    assert refused.value.code == 403
    # Another key: change its last character (to one it does not already have, or the URL stays the same).
    other_key = url.replace(stored.key, stored.key[:-1] + ("0" if stored.key[-1] != "0" else "1"))
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(other_key, timeout=5)
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(url.split("?")[0], timeout=5)
    assert anonymous.value.code == 403


def test_presigned_url_expires(store):
    stored = store.put_stream(io.BytesIO(b"short-lived"), "text/plain")
    url = store.presigned_url(stored.key, 1)
    time.sleep(2.1)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)
    assert refused.value.code == 403


def test_hanging_server_fails_within_the_timeout(make_store):
    # A socket that accepts connections (in the kernel's backlog) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        store = make_store(endpoint=f"127.0.0.1:{silent.getsockname()[1]}", timeout_seconds=1.0)
        started = time.monotonic()
        with pytest.raises(StorageUnavailable) as raised:
            store.put_stream(io.BytesIO(b"data"), "text/plain")
        assert time.monotonic() - started < 5
    assert raised.value.status == 503
