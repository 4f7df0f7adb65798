"""The region-code table (regions.yaml), loaded once."""

from functools import lru_cache
from pathlib import Path

import yaml

_TABLE_PATH = Path(__file__).with_name("regions.yaml")


@lru_cache(maxsize=1)
def _table() -> dict:
    with _TABLE_PATH.open(encoding="utf-8") as stream:
        table = yaml.safe_load(stream)
    # An unquoted key would load as an int and silently never match: fail loudly instead.
    keys = list(table["provinces"]) + [
        code for regencies in table["regencies"].values() for code in regencies
    ] + list(table["regencies"])
    bad = [key for key in keys if not isinstance(key, str)]
    if bad:
        raise ValueError(f"{_TABLE_PATH.name}: quote these codes: {bad}")
    return table


def provinces() -> dict[str, str]:
    """Province code (2 digits) -> name."""
    return dict(_table()["provinces"])


def province_name(code: str) -> str | None:
    return _table()["provinces"].get(code)


def has_regency_table(province_code: str) -> bool:
    return province_code in _table()["regencies"]


def regencies(province_code: str) -> dict[str, str]:
    """Regency/city code (4 digits) -> name; empty when the province is not listed in full."""
    return dict(_table()["regencies"].get(province_code, {}))


def regency_name(code: str) -> str | None:
    return _table()["regencies"].get(code[:2], {}).get(code)
