"""NIK, the 16-digit population number on the KTP.

Layout: PPRRDD DDMMYY SSSS -- region (province, regency/city, district), birth date with 40 added
to the day for women, and a serial from 0001. There is no check digit.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.identity import regions
from app.identity.digits import only_digits
from app.identity.errors import IdentityError

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
# The office is in Kota Pariaman (WIB, UTC+7, no daylight saving). Using the server's UTC date
# would put a baby born after midnight WIB "in the future" and push its birth year back a century.
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def today_wib() -> dt.date:
    return dt.datetime.now(WIB).date()


@dataclass(frozen=True)
class Nik:
    digits: str
    province_code: str  # "13"
    regency_code: str  # "1377": includes the province, as Kemendagri writes 13.77
    district_code: str  # "137701"
    birth_date: dt.date
    is_female: bool
    serial: str  # "0001"

    @property
    def province_name(self) -> str | None:
        return regions.province_name(self.province_code)

    @property
    def regency_name(self) -> str | None:
        """None when the province's regencies are not in the table."""
        return regions.regency_name(self.regency_code)


def parse_nik(text, today: dt.date | None = None) -> Nik:
    """The NIK in text (spaces, dots and dashes allowed), or IdentityError.

    `today` decides the birth century (the latest date not after it); default: today in WIB.
    """
    digits = only_digits(text, "NIK")
    if len(digits) != NIK_LENGTH:
        raise IdentityError(
            _l("NIK must have 16 digits; %(count)s given.", count=len(digits)), code="nik_length"
        )
    _check_region(digits[:6])
    birth_date, is_female = _birth_date(digits[6:12], today or today_wib())
    _check_serial(digits[12:])
    return Nik(
        digits=digits,
        province_code=digits[:2],
        regency_code=digits[:4],
        district_code=digits[:6],
        birth_date=birth_date,
        is_female=is_female,
        serial=digits[12:],
    )


def _check_region(region: str) -> None:
    province, regency, district = region[:2], region[:4], region[4:6]
    if regions.province_name(province) is None:
        raise IdentityError(
            _l("Unknown province code %(code)s in NIK.", code=province), code="nik_province"
        )
    if regency[2:] == "00":
        raise IdentityError(
            _l("NIK regency/city code %(code)s does not exist: it cannot end in 00.", code=regency),
            code="nik_regency",
        )
    if regions.has_regency_table(province) and regions.regency_name(regency) is None:
        raise IdentityError(
            _l(
                "Unknown regency/city code %(code)s in NIK for province %(province)s.",
                code=regency,
                province=regions.province_name(province),
            ),
            code="nik_regency",
        )
    if district == "00":
        raise IdentityError(
            _l("NIK district code %(code)s does not exist: it cannot end in 00.", code=region),
            code="nik_district",
        )


def _birth_date(ddmmyy: str, today: dt.date) -> tuple[dt.date, bool]:
    day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    is_female = day > FEMALE_DAY_OFFSET
    if is_female:
        day -= FEMALE_DAY_OFFSET
    if not 1 <= day <= 31:
        raise IdentityError(
            _l(
                "NIK birth day %(day)s is not valid: it must be 01-31, or 41-71 for a woman.",
                day=ddmmyy[:2],
            ),
            code="nik_birth_day",
        )
    if not 1 <= month <= 12:
        raise IdentityError(
            _l("NIK birth month %(month)s is not valid: it must be 01-12.", month=ddmmyy[2:4]),
            code="nik_birth_month",
        )
    year = _birth_year(yy, month, day, today)
    try:
        return dt.date(year, month, day), is_female
    except ValueError:
        raise IdentityError(
            _l("NIK birth date %(date)s does not exist.", date=ddmmyy), code="nik_birth_date"
        ) from None


def _birth_year(yy: int, month: int, day: int, today: dt.date) -> int:
    """20yy unless that is after today, then 19yy (compared as tuples: the date may not exist)."""
    year = 2000 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def _check_serial(serial: str) -> None:
    if serial == "0000":
        raise IdentityError(
            _l("NIK serial number 0000 is not valid: serials start at 0001."), code="nik_serial"
        )
