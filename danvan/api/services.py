"""Writes of the API app: personal tokens (create shown once, revoke) and their lookup."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.api.models import ApiToken
from danvan.core.audit import audit_log
from danvan.org.selectors import agencies_where_user_works

TOKEN_PREFIX = "dv_"  # noqa: S105 - a public marker, not a secret


def token_digest(raw: str) -> str:
    """SHA-256 of a token: tokens are 256-bit random, so a fast unsalted hash is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_agencies(user):
    """Agencies a token of `user` may be bound to: where they work today (any role)."""
    from danvan.org.models import Membership

    return agencies_where_user_works(user, roles=tuple(Membership.Role.values))


def api_token_create(
    *, actor, agency, name: str, access: str = ApiToken.Access.READ, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `actor`; return it and the raw token (shown once, never stored)."""
    days = days or settings.DANVAN_API_TOKEN_DAYS
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the token a name, e.g. the system that will use it.")
    if access not in ApiToken.Access.values:
        errors["access"] = _("Choose read or read-write access.")
    if not 1 <= days <= settings.DANVAN_API_TOKEN_MAX_DAYS:
        errors["days"] = _("A token lasts between 1 and %(n)d days.") % {
            "n": settings.DANVAN_API_TOKEN_MAX_DAYS
        }
    if agency is None or not token_agencies(actor).filter(pk=agency.pk).exists():
        errors["agency"] = _("Choose an agency where you work.")
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            agency=agency,
            name=name[:100],
            access=access,
            prefix=raw[:10],
            digest=token_digest(raw),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_log(
            actor=actor,
            action="api.token_create",
            obj=token,
            agency=agency,
            changes={"after": {"access": access, "expires_at": token.expires_at.isoformat()}},
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke `token` at once (its owner, or a superuser). Revoking twice changes nothing."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise ValidationError(_("You can revoke only your own tokens."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_log(actor=actor, action="api.token_revoke", obj=locked, agency=locked.agency)
    return locked


def token_lookup(raw: str) -> ApiToken | None:
    """The usable token whose digest matches `raw`, or None (expired, revoked, unknown)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "agency").filter(digest=token_digest(raw)).first()
    )
    if token is None or not token.is_usable():
        return None
    now = timezone.now()
    # Written at most once a minute: a busy client must not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
