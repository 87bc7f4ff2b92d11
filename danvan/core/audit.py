"""The one way to write an audit event. Every service calls `audit_log` inside its transaction."""

from typing import Any

from django.db import models

from danvan.core.models import AuditEvent
from danvan.core.request_context import current_request_info


def model_snapshot(obj: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Return {field: value} for `fields` of `obj`, with values made JSON-safe."""
    snapshot: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        snapshot[name] = value
    return snapshot


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return {"before": {...}, "after": {...}} holding only the keys whose values changed."""
    keys = sorted(set(before) | set(after))
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {
        "before": {k: before.get(k) for k in changed},
        "after": {k: after.get(k) for k in changed},
    }


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    agency=None,
    changes: dict[str, Any] | None = None,
    sensitive_read: bool = False,
) -> AuditEvent:
    """Record that `actor` did `action` (a dotted verb like 'org.agency_update') to `obj`."""
    info = current_request_info()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_repr=str(actor_obj) if actor_obj else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        agency=agency,
        changes=changes or {},
        ip_address=info.ip_address,
        request_id=info.request_id,
        is_sensitive_read=sensitive_read,
    )
