"""The document store: one S3 bucket reached through the MinIO SDK, and nothing else.

Every SDK or network failure leaves this module as a StorageError (see errors.py); callers never
see minio or urllib3 exceptions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

import urllib3
from minio import Minio
from minio.commonconfig import GOVERNANCE, CopySource
from minio.error import InvalidResponseError, S3Error, ServerError
from minio.retention import Retention
from minio.versioningconfig import ENABLED, VersioningConfig

from app.i18n import _
from app.storage.errors import FileTooLarge, ObjectNotFound, StorageError, StorageUnavailable

log = logging.getLogger(__name__)

# S3's smallest multipart part; minio holds about two parts in memory while uploading.
PART_SIZE = 5 * 1024 * 1024
CHUNK_SIZE = 64 * 1024
NOT_FOUND = ("NoSuchKey", "NoSuchVersion", "NoSuchObject")
REFUSED = ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch")
# A bucket made without object lock answers so when asked for its lock configuration.
NO_OBJECT_LOCK = ("ObjectLockConfigurationNotFoundError", "ObjectLockConfigurationNotFound", "NotImplemented",
                  "InvalidBucketState", "InvalidRequest")


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str
    version_id: str | None = None


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    media_type: str | None
    etag: str | None
    last_modified: dt.datetime | None
    version_id: str | None


@dataclass(frozen=True)
class IncompleteUpload:
    key: str
    upload_id: str
    initiated: dt.datetime | None


def new_key(prefix: str = "documents") -> str:
    """Keys are generated, never taken from a user's filename."""
    return f"{prefix}/{dt.datetime.now(dt.timezone.utc):%Y/%m}/{uuid.uuid4().hex}"


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266 header: an ASCII fallback plus the UTF-8 name."""
    fallback = re.sub(r'[^\x20-\x7e]|["\\]', "_", filename) or "document"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@contextmanager
def translated_errors(key: str = "", saving: bool = False) -> Iterator[None]:
    """SDK and network failures become StorageError subclasses with a sentence for the user."""
    try:
        yield
    except StorageError:
        raise
    except S3Error as error:
        if error.code in NOT_FOUND:  # an answer, not a fault: exists() relies on it
            raise ObjectNotFound(key) from error
        log.warning("S3 refused %s: %s %s", key or "request", error.code, error.message)
        if error.code in REFUSED:
            raise StorageError(
                _("The document store refused SIGAP's credentials. Please contact the administrator.")
            ) from error
        raise StorageError() from error
    except (ServerError, urllib3.exceptions.HTTPError, ConnectionError, TimeoutError) as error:
        log.warning("S3 unavailable for %s: %s", key or "request", error)
        raise StorageUnavailable(saving=saving) from error
    except InvalidResponseError as error:
        log.warning("S3 answered %s oddly: %s", key or "request", error)
        raise StorageUnavailable(saving=saving) from error


class HashingReader:
    """A file-like for minio: hashes and counts what minio pulls, and stops at max_size."""

    def __init__(self, fileobj: BinaryIO, max_size: int | None = None):
        self._source = fileobj
        self._max_size = max_size
        self._hash = hashlib.sha256()
        self.size = 0

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def read(self, size: int = -1) -> bytes:
        """Fills `size` bytes (minio asks for a whole part) from source reads of CHUNK_SIZE."""
        pieces, wanted = [], size if size >= 0 else float("inf")
        while wanted > 0:
            piece = self._source.read(int(min(wanted, CHUNK_SIZE)))
            if not piece:
                break
            self._count(piece)
            pieces.append(piece)
            wanted -= len(piece)
        return b"".join(pieces)

    def _count(self, piece: bytes) -> None:
        self.size += len(piece)
        if self._max_size is not None and self.size > self._max_size:
            raise FileTooLarge(self._max_size)
        self._hash.update(piece)


class ObjectStream:
    """The chunks of one object, for a streaming response; close() hands the connection back."""

    def __init__(self, response, key: str, chunk_size: int = CHUNK_SIZE):
        self._response = response
        self._key = key
        self._chunks = response.stream(chunk_size)

    def __iter__(self) -> "ObjectStream":
        return self

    def __next__(self) -> bytes:
        if self._response is None:
            raise StopIteration
        try:
            with translated_errors(self._key):
                chunk = next(self._chunks, None)
        except BaseException:
            self.close()
            raise
        if chunk is None:
            self.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        if self._response is not None:
            self._response.close()
            self._response.release_conn()
            self._response = None

    def __enter__(self) -> "ObjectStream":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class ObjectStore:
    """One bucket with versioning. Construction does no network I/O.

    With ``lock_days`` > 0 every stored original is WORM: S3 object lock keeps its version from being
    deleted or overwritten for that many days (``lock_mode`` GOVERNANCE: only a user granted
    s3:BypassGovernanceRetention may; COMPLIANCE: nobody). A new bucket is made with object lock; an
    existing bucket without it cannot gain it, so then originals are stored without retention and a
    warning says so (``worm`` stays False).
    """

    def __init__(self, endpoint: str, access_key: str, secret_key: str, bucket: str, *,
                 secure: bool = False, region: str = "us-east-1", timeout_seconds: float = 5.0,
                 lock_days: int = 0, lock_mode: str = GOVERNANCE):
        self.bucket = bucket
        self.endpoint = endpoint
        self.lock_days = lock_days
        self.lock_mode = lock_mode
        self.worm = False
        self._bucket_ready = False
        self._client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region,
            http_client=_http_client(timeout_seconds),
        )

    @classmethod
    def from_config(cls, config: Mapping) -> "ObjectStore":
        return cls(
            config["S3_ENDPOINT"], config["S3_ACCESS_KEY"], config["S3_SECRET_KEY"], config["S3_BUCKET"],
            secure=bool(config.get("S3_SECURE", False)), region=config.get("S3_REGION") or "us-east-1",
            timeout_seconds=float(config.get("S3_TIMEOUT_SECONDS", 5)),
            lock_days=int(config.get("S3_OBJECT_LOCK_DAYS", 0)),
            lock_mode=config.get("S3_OBJECT_LOCK_MODE", GOVERNANCE),
        )

    # --- bucket ------------------------------------------------------------------------------------

    def ensure_bucket(self) -> None:
        """Creates the bucket if needed and turns versioning on (both idempotent)."""
        with translated_errors(saving=True):
            if not self._client.bucket_exists(self.bucket):
                self._make_bucket()
            if self._client.get_bucket_versioning(self.bucket).status != ENABLED:
                self._client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))
            self.worm = self.lock_days > 0 and self._object_lock_enabled()
        if self.lock_days > 0 and not self.worm:
            log.warning("Bucket %s has no object lock: originals are stored WITHOUT the %d-day WORM retention. "
                        "Object lock can only be chosen when a bucket is made (MinIO: mc mb --with-lock); "
                        "point S3_BUCKET at such a bucket, or set S3_OBJECT_LOCK_DAYS=0.",
                        self.bucket, self.lock_days)
        self._bucket_ready = True

    def _object_lock_enabled(self) -> bool:
        try:
            self._client.get_object_lock_config(self.bucket)
        except S3Error as error:
            if error.code in NO_OBJECT_LOCK:
                return False
            raise
        return True

    def _retention(self) -> Retention | None:
        if not self.worm:
            return None
        until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=self.lock_days)
        return Retention(self.lock_mode, until)

    def retention(self, key: str) -> tuple[str, dt.datetime] | None:
        """(mode, retained until) of the key's current version, or None when it has no retention."""
        with translated_errors(key):
            version_id = self.stat(key).version_id
            try:
                found = self._client.get_object_retention(self.bucket, key, version_id=version_id)
            except S3Error as error:
                if error.code in (*NO_OBJECT_LOCK, "NoSuchObjectLockConfiguration"):
                    return None
                raise
        return (found.mode, found.retain_until_date) if found else None

    def _make_bucket(self) -> None:
        try:
            self._client.make_bucket(self.bucket, object_lock=self.lock_days > 0)
        except S3Error as error:  # another worker made it first
            if error.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    # --- write -------------------------------------------------------------------------------------

    def put_stream(self, fileobj: BinaryIO, media_type: str, max_size: int | None = None,
                   prefix: str = "documents") -> StoredObject:
        """Streams fileobj into a new key, part by part; FileTooLarge leaves nothing behind."""
        return self.put_at(new_key(prefix), fileobj, media_type, max_size)

    def put_at(self, key: str, fileobj: BinaryIO, media_type: str, max_size: int | None = None) -> StoredObject:
        """Streams fileobj into `key` (a new key, or a restore from a backup)."""
        if not self._bucket_ready:
            self.ensure_bucket()
        reader = HashingReader(fileobj, max_size)
        try:
            with translated_errors(key, saving=True):
                result = self._client.put_object(
                    self.bucket, key, reader, length=-1, part_size=PART_SIZE,
                    content_type=media_type or "application/octet-stream", num_parallel_uploads=1,
                    retention=self._retention(),
                )
        except StorageUnavailable:
            # The server may have kept the object before the answer was lost.
            self._discard_quietly(key)
            raise
        return StoredObject(key, reader.size, reader.sha256, result.version_id)

    def remove(self, key: str) -> None:
        """Removes the key with all its versions. SIGAP never rewrites a key, so versions of one
        only come from outside writes; a plain delete would only hide the bytes behind a marker.
        A version under WORM retention is refused (StorageError): it stays until the retention ends."""
        with translated_errors(key):
            versions = [
                item.version_id for item in
                self._client.list_objects(self.bucket, prefix=key, include_version=True)
                if item.object_name == key
            ]
            for version_id in versions or [None]:
                self._client.remove_object(self.bucket, key, version_id=version_id)

    def _discard_quietly(self, key: str) -> None:
        try:
            self.remove(key)
        except StorageError:
            log.warning("Could not remove %s after a failed upload; the sanity check will report it", key)

    # --- read --------------------------------------------------------------------------------------

    def open_stream(self, key: str, chunk_size: int = CHUNK_SIZE, version_id: str | None = None) -> ObjectStream:
        """Starts the download now (so a missing object or a down server raises here, before a
        response begins) and returns its chunks (of the current version unless one is named)."""
        with translated_errors(key):
            response = self._client.get_object(self.bucket, key, version_id=version_id)
        return ObjectStream(response, key, chunk_size)

    def stat(self, key: str) -> ObjectInfo:
        with translated_errors(key):
            found = self._client.stat_object(self.bucket, key)
        return ObjectInfo(key, found.size, found.content_type, found.etag, found.last_modified, found.version_id)

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Current keys under prefix (removed ones excluded), listed page by page."""
        with translated_errors(prefix):
            for item in self._client.list_objects(self.bucket, prefix=prefix, recursive=True):
                yield item.object_name

    def list_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Current objects under prefix with their size and age, listed page by page."""
        with translated_errors(prefix):
            for item in self._client.list_objects(self.bucket, prefix=prefix, recursive=True):
                yield ObjectInfo(item.object_name, item.size, None, item.etag, item.last_modified, item.version_id)

    def incomplete_uploads(self, prefix: str = "") -> Iterator[IncompleteUpload]:
        """Multipart uploads begun under prefix and never completed nor aborted (an uploader that died or
        lost the server mid-file): their parts take space and no listing of objects shows them."""
        key_marker = upload_id_marker = None
        with translated_errors(prefix):
            while True:
                page = self._client._list_multipart_uploads(self.bucket, prefix=prefix, key_marker=key_marker,
                                                           upload_id_marker=upload_id_marker, max_uploads=1000)
                for upload in page.uploads:
                    yield IncompleteUpload(upload.object_name, str(upload.upload_id), upload.initiated_time)
                if not page.is_truncated:
                    return
                key_marker, upload_id_marker = page.next_key_marker, page.next_upload_id_marker

    def abort_upload(self, upload: IncompleteUpload) -> None:
        """Discards an incomplete multipart upload and its parts."""
        with translated_errors(upload.key):
            self._client._abort_multipart_upload(self.bucket, upload.key, upload.upload_id)

    def versions(self, key: str) -> list[str]:
        """The version ids of `key`, newest first (delete markers excluded)."""
        with translated_errors(key):
            return [item.version_id for item in
                    self._client.list_objects(self.bucket, prefix=key, include_version=True)
                    if item.object_name == key and not item.is_delete_marker and item.version_id]

    def sha256_of(self, key: str, version_id: str | None = None) -> str:
        """Re-reads the object (or one version of it) to hash it against the recorded digest."""
        digest = hashlib.sha256()
        with self.open_stream(key, version_id=version_id) as chunks:
            for chunk in chunks:
                digest.update(chunk)
        return digest.hexdigest()

    def promote_version(self, key: str, version_id: str) -> None:
        """Makes an older version of `key` its current content again (a copy onto itself)."""
        with translated_errors(key, saving=True):
            self._client.copy_object(self.bucket, key, CopySource(self.bucket, key, version_id=version_id))

    def presigned_url(self, key: str, seconds: int, filename: str | None = None,
                      media_type: str | None = None, disposition: str = "inline") -> str:
        """A short-lived GET link, shown inline by the browser unless `disposition` says "attachment".
        Signing needs no network."""
        headers = {}
        if filename:
            headers["response-content-disposition"] = content_disposition(disposition, filename)
        if media_type:
            headers["response-content-type"] = media_type
        with translated_errors(key):
            return self._client.presigned_get_object(
                self.bucket, key, expires=dt.timedelta(seconds=seconds), response_headers=headers or None,
            )


def _http_client(timeout: float) -> urllib3.PoolManager:
    """Fails fast: minio's default waits up to 5 minutes per try and retries five times.
    One retry, for a refused connect only; a read that timed out is not repeated."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        retries=urllib3.Retry(total=1, connect=1, read=0, redirect=0, status=0, other=0, backoff_factor=0.2),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or _certifi_bundle(),
    )


def _certifi_bundle() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return certifi.where()
