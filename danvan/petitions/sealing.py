"""The sealed store for denouncers' identities (Luật Tố cáo Đ47, Đ56; QĐ 774/QĐ-TTg: "Mật").

- Encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256) under keys from the environment
  (`DANVAN_SEAL_KEYS`, newest first); `manage.py rotate_seal_keys` re-encrypts under the newest.
- Readable only by users cleared for the case: its handling officer and the handling agency's
  leaders. Not superusers: administering the system is not a need to know.
- Every reveal writes an audit event (`is_sensitive_read`).
- Duplicate checks use keyed hashes (`match_key`) of ID numbers and phones, so they work
  without decrypting anything.
"""

import base64
import hashlib
import hmac
import json
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone

from danvan.core.audit import audit_log
from danvan.org.models import Membership


def _derived_key(label: bytes) -> bytes:
    digest = hashlib.sha256(label + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def fernet() -> MultiFernet:
    keys = list(getattr(settings, "DANVAN_SEAL_KEYS", []) or [])
    if not keys:
        if getattr(settings, "DANVAN_REQUIRE_SEAL_KEYS", False):
            raise ImproperlyConfigured("DANVAN_SEAL_KEYS must be set (see docs/operations.md)")
        keys = [_derived_key(b"danvan-seal-development").decode()]
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def seal(payload: list[dict]) -> bytes:
    return fernet().encrypt(json.dumps(payload, ensure_ascii=False).encode())


def unseal(ciphertext: bytes) -> list[dict]:
    try:
        return json.loads(fernet().decrypt(bytes(ciphertext)))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a sealed identity cannot be decrypted with the keys set"
        ) from exc


def rotate(ciphertext: bytes) -> bytes:
    return fernet().rotate(bytes(ciphertext))


def match_key(kind: str, value: str) -> str | None:
    """A keyed hash of an ID number or phone (digits only), stable across seal-key rotation."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) < 6:
        return None
    if digits.startswith("84") and kind == "phone":
        digits = "0" + digits[2:]
    secret = getattr(settings, "DANVAN_MATCH_KEY", "") or _derived_key(b"danvan-match").decode()
    return f"{kind}:" + hmac.new(secret.encode(), digits.encode(), hashlib.sha256).hexdigest()[:32]


def can_reveal(user, petition) -> bool:
    """Cleared for this case: its handling officer, or a leader of its handling agency."""
    if not getattr(user, "is_authenticated", False) or not petition.is_sealed:
        return False
    if petition.assigned_to_id == user.pk:
        return True
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, agency_id=petition.agency_id, role=Membership.Role.LEADER)
        .exists()
    )


def reveal_identity(*, user, petition) -> list[dict]:
    """Return the sealed petitioners for a cleared user, writing an audit event; else 403."""
    if not can_reveal(user, petition):
        audit_log(
            actor=user,
            action="petitions.identity_reveal_refused",
            obj=petition,
            agency=petition.agency,
            sensitive_read=True,
        )
        raise PermissionDenied
    identity = unseal(petition.sealed_identity.ciphertext)
    audit_log(
        actor=user,
        action="petitions.identity_reveal",
        obj=petition,
        agency=petition.agency,
        sensitive_read=True,
    )
    return identity
