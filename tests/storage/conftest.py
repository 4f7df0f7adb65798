"""A fresh bucket per test on the session's real SeaweedFS server (tests/conftest.py)."""

import uuid

import pytest
import urllib3
from minio import Minio

from app.storage import ObjectStore


@pytest.fixture
def bucket():
    return f"t-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def make_store(s3_server, bucket):
    """An ObjectStore on the test server, with the test's bucket unless told otherwise."""

    def _make(server=None, *, access_key=None, secret_key=None, bucket_name=None, timeout_seconds=3.0,
              endpoint=None):
        server = server or s3_server
        return ObjectStore(
            endpoint or server.endpoint, access_key or server.access_key, secret_key or server.secret_key,
            bucket_name or bucket, timeout_seconds=timeout_seconds,
        )

    return _make


@pytest.fixture
def store(make_store) -> ObjectStore:
    object_store = make_store()
    object_store.ensure_bucket()
    return object_store


@pytest.fixture
def raw_client(s3_server) -> Minio:
    """The SDK directly, to see what is really in the bucket."""
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=5), retries=urllib3.Retry(total=0))
    return Minio(s3_server.endpoint, s3_server.access_key, s3_server.secret_key, secure=False, http_client=http)


@pytest.fixture
def leftovers(raw_client, bucket):
    """Everything left in the test's bucket: object versions, delete markers, unfinished uploads."""

    def _leftovers():
        versions = list(raw_client.list_objects(bucket, recursive=True, include_version=True))
        # minio 7.2 has no public call for this; the private one is fine in a test.
        uploads = raw_client._list_multipart_uploads(bucket).uploads
        return [item.object_name for item in versions] + [upload.object_name for upload in uploads]

    return _leftovers
