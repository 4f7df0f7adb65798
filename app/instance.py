"""The instance folder: the embedded database, the generated secrets and the local S3 data live there.

The app factory calls prepare() once the settings are read, so that importing config.py creates
nothing: a secret that no setting gives is generated once and kept in the folder (mode 0600).
"""

from __future__ import annotations

import secrets
from pathlib import Path


def prepare(config) -> None:
    folder = Path(config["INSTANCE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _secret(folder / "secret_key", 48)
    if config["S3_LOCAL"]:
        config["S3_ACCESS_KEY"] = config.get("S3_ACCESS_KEY") or "sigap-" + _secret(folder / "s3_access_key", 9)
        config["S3_SECRET_KEY"] = config.get("S3_SECRET_KEY") or _secret(folder / "s3_secret_key", 48)


def _secret(path: Path, nbytes: int) -> str:
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()
