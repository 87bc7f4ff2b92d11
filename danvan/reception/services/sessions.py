"""Writes to the reception schedule: plan a session, mark it held, cancel it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log, diff_snapshots, model_snapshot
from danvan.core.text import normalize_text
from danvan.org.models import Agency, Membership
from danvan.reception import quota
from danvan.reception.models import ReceptionSession


def _session_errors(*, agency: Agency, leader, role: str, date: dt.date, place: str, mode: str):
    errors = {}
    if not place:
        errors["place"] = _("Enter where the reception takes place.")
    if mode not in ReceptionSession.Mode.values:
        errors["mode"] = _("Choose in person or online.")
    elif mode == ReceptionSession.Mode.ONLINE and date < quota.ONLINE_FROM:
        errors["mode"] = _(
            "Online reception is possible only from 1/7/2026 (Luật 136/2025/QH15); "
            "choose in person for an earlier date."
        )
    if role and role != quota.role_for_agency(agency.kind, agency.unit.level):
        errors["role"] = _("This role does not head this agency.")
    is_leader = (
        Membership.objects.in_force(date)
        .filter(user=leader, agency=agency, role=Membership.Role.LEADER)
        .exists()
    )
    if not is_leader:
        errors["leader"] = _("Choose a leader of this agency on that date.")
    return errors


def session_plan(
    *,
    actor,
    agency: Agency,
    leader,
    date: dt.date,
    place: str,
    role: str = "",
    mode: str = ReceptionSession.Mode.IN_PERSON,
    kind: str = ReceptionSession.Kind.REGULAR,
    note: str = "",
) -> ReceptionSession:
    """Put a leader's reception day on the schedule (status planned)."""
    place, note = normalize_text(place), normalize_text(note)
    errors = _session_errors(
        agency=agency, leader=leader, role=role, date=date, place=place, mode=mode
    )
    if kind not in ReceptionSession.Kind.values:
        errors["kind"] = _("Choose regular or unscheduled.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = ReceptionSession.objects.create(
            agency=agency,
            leader=leader,
            role=role,
            date=date,
            place=place,
            mode=mode,
            kind=kind,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        fields = ("leader", "role", "date", "place", "mode", "kind")
        audit_log(
            actor=actor,
            action="reception.session_plan",
            obj=session,
            agency=agency,
            changes={"after": model_snapshot(session, fields)},
        )
    return session


def _session_set_status(*, actor, session: ReceptionSession, status: str, verb: str):
    with transaction.atomic():
        locked = ReceptionSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != ReceptionSession.Status.PLANNED:
            raise ValidationError(
                {"status": _("Only a planned session can be marked held or cancelled.")}
            )
        if status == ReceptionSession.Status.HELD and locked.date > timezone.localdate():
            raise ValidationError({"status": _("A session cannot be marked held before its date.")})
        before = model_snapshot(locked, ["status"])
        locked.status = status
        locked.save(update_fields=["status"])
        audit_log(
            actor=actor,
            action=f"reception.{verb}",
            obj=locked,
            agency=locked.agency,
            changes=diff_snapshots(before, model_snapshot(locked, ["status"])),
        )
    return locked


def session_mark_held(*, actor, session: ReceptionSession) -> ReceptionSession:
    """Record that a planned session took place (only on or after its date)."""
    return _session_set_status(
        actor=actor, session=session, status=ReceptionSession.Status.HELD, verb="session_mark_held"
    )


def session_cancel(*, actor, session: ReceptionSession) -> ReceptionSession:
    """Cancel a planned session; it no longer counts towards the minimum."""
    return _session_set_status(
        actor=actor,
        session=session,
        status=ReceptionSession.Status.CANCELLED,
        verb="session_cancel",
    )
