"""Identity documents: scans that carry a person's NIK or NPWP in full (UU 27/2022).

Their file (download, preview, every version) and their text in search are only for roles that may
see NIK and NPWP (`can_read Identity`); the caller passes that as a plain value.
"""

IDENTITY_DOCUMENT_TYPES = ("KTP", "NPWP")


def is_identity_document(type_code: str | None) -> bool:
    return type_code in IDENTITY_DOCUMENT_TYPES


def may_open_file(type_code: str | None, may_see_identity: bool) -> bool:
    return may_see_identity or not is_identity_document(type_code)
