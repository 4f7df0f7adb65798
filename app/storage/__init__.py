"""Object storage for scanned documents (S3 through the MinIO SDK).

    storage.init_app(app)       # in create_app(); no network I/O
    get_store().put_stream(...) # inside an app context

The bucket is created (with versioning) on the first upload, or explicitly by ensure_bucket().
"""

from flask import Flask, current_app

from app.storage.errors import FileTooLarge, ObjectNotFound, StorageError, StorageUnavailable
from app.storage.local_server import LocalS3Server
from app.storage.store import ObjectInfo, ObjectStore, ObjectStream, StoredObject

EXTENSION_KEY = "sigap_storage"

__all__ = [
    "FileTooLarge", "LocalS3Server", "ObjectInfo", "ObjectNotFound", "ObjectStore", "ObjectStream",
    "StorageError", "StorageUnavailable", "StoredObject", "get_store", "init_app",
]


def init_app(flask_app: Flask) -> None:
    """Builds the store from the S3_* settings (see config.py); constructing it does no network I/O."""
    flask_app.extensions[EXTENSION_KEY] = ObjectStore.from_config(flask_app.config)


def get_store() -> ObjectStore:
    """The current app's store."""
    return current_app.extensions[EXTENSION_KEY]
