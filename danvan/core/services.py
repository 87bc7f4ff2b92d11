"""Writes of foundation data. Each is one transaction with one audit event."""

from django.db import models, transaction

from danvan.core.audit import audit_log, diff_snapshots, model_snapshot
from danvan.core.legal_rules_seed import SEED_RULES
from danvan.core.models import LegalRule


def legal_rules_seed(*, actor=None) -> int:
    """Add the seeded rules that are missing (by code and valid_from); return how many.

    One audit event lists what was added; nothing is written when nothing is missing.
    """
    created: list[str] = []
    with transaction.atomic():
        for data in SEED_RULES:
            fields = {k: v for k, v in data.items() if k not in ("code", "valid_from")}
            rule, was_created = LegalRule.objects.get_or_create(
                code=data["code"], valid_from=data.get("valid_from"), defaults=fields
            )
            if was_created:
                created.append(str(rule))
        if created:
            audit_log(actor=actor, action="core.legal_rules_seed", changes={"added": created})
    return len(created)


def reference_object_save(*, actor, obj: models.Model, is_new: bool, agency=None) -> models.Model:
    """Validate and save a reference-data row (admin edits), auditing the fields that changed.

    The row is locked first, so two admins saving at once are serialised and the audit diff is
    against what was really stored.
    """
    fields = [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "search_text")]
    with transaction.atomic():
        before = {}
        if not is_new:
            stored = type(obj).objects.select_for_update().get(pk=obj.pk)
            before = model_snapshot(stored, fields)
        obj.full_clean()
        obj.save()
        audit_log(
            actor=actor,
            action=f"{obj._meta.label_lower}.{'create' if is_new else 'update'}",
            obj=obj,
            agency=agency,
            changes=diff_snapshots(before, model_snapshot(obj, fields)),
        )
    return obj


def reference_object_delete(*, actor, obj: models.Model, agency=None) -> None:
    """Delete a reference-data row, keeping what it held in the audit event."""
    fields = [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "search_text")]
    with transaction.atomic():
        audit_log(
            actor=actor,
            action=f"{obj._meta.label_lower}.delete",
            obj=obj,
            agency=agency,
            changes={"before": model_snapshot(obj, fields)},
        )
        obj.delete()
