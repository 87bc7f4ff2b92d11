"""Checks on uploaded files: size cap and type sniffed from the content, not the name."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# (content type, magic bytes at offset 0). ZIP covers DOCX/XLSX/ODT (checked by extension too).
SIGNATURES = [
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    ("application/zip", b"PK\x03\x04"),
    ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
]
ZIP_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, DOC, DOCX, XLSX, ODT, ODS"


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    name: str


def sniff_content_type(head: bytes, name: str) -> str | None:
    """Return the content type the first bytes prove, or None if not an allowed type."""
    for content_type, magic in SIGNATURES:
        if head.startswith(magic):
            if content_type == "application/zip":
                extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                return ZIP_TYPES.get(extension)
            return content_type
    return None


def check_upload(
    upload, *, max_bytes: int = MAX_UPLOAD_BYTES, allowed: set[str] | None = None
) -> CheckedFile:
    """Validate an UploadedFile; raise ValidationError with a Vietnamese message if refused."""
    name = (upload.name or "file").rsplit("/", 1)[-1][:255]
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(max)d MB.")
            % {"name": name, "size": upload.size / 1048576, "max": max_bytes // 1048576},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head, name)
    if content_type is None or (allowed is not None and content_type not in allowed):
        raise ValidationError(
            _("“%(name)s” is not an accepted file type (%(types)s).")
            % {"name": name, "types": ALLOWED_DESCRIPTION},
            code="bad_type",
        )
    return CheckedFile(content_type=content_type, size=upload.size, name=name)
