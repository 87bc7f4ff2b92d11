"""Writes to the organisation tree. Each function is one transaction with one audit event."""

from django.contrib.auth import get_user_model
from django.db import transaction

from danvan.core.audit import audit_log, diff_snapshots, model_snapshot
from danvan.org.models import AdministrativeUnit, Agency, Membership

AGENCY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "unit",
    "parent",
    "valid_from",
    "valid_to",
    "email",
    "phone",
    "address",
)
USER_FIELDS = ("username", "full_name", "email", "phone", "kind", "is_superuser", "is_active")


def agency_upsert(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    unit: AdministrativeUnit,
    parent: Agency | None = None,
    **extra,
) -> tuple[Agency, bool]:
    """Create agency `code`, or bring it in line with the values given; return (agency, changed)."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().filter(code=code).first()
        is_new = agency is None
        before = {} if is_new else model_snapshot(agency, AGENCY_FIELDS)
        agency = agency or Agency(code=code)
        for field, value in {
            "name": name,
            "kind": kind,
            "unit": unit,
            "parent": parent,
            **extra,
        }.items():
            setattr(agency, field, value)
        agency.full_clean()
        after = model_snapshot(agency, AGENCY_FIELDS)
        if not is_new and after == before:
            return agency, False
        agency.save()
        audit_log(
            actor=actor,
            action="org.agency_create" if is_new else "org.agency_update",
            obj=agency,
            agency=agency,
            changes=diff_snapshots(before, after),
        )
    return agency, True


def staff_user_upsert(
    *, actor, username: str, full_name: str, password: str | None = None, **extra
):
    """Create a user account if missing (never resets an existing password); return it."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None:
            return user
        user = User(username=username, full_name=full_name, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_log(
            actor=actor,
            action="core.user_create",
            obj=user,
            changes={"after": model_snapshot(user, USER_FIELDS)},
        )
    return user


def membership_grant(*, actor, user, agency: Agency, role: str, title: str = "") -> Membership:
    """Give `user` `role` in `agency` (idempotent: an existing grant is returned unchanged)."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"title": title}
        )
        if created:
            audit_log(
                actor=actor,
                action="org.membership_grant",
                obj=membership,
                agency=agency,
                changes={
                    "after": {"user": user.pk, "agency": agency.pk, "role": role, "title": title}
                },
            )
    return membership


def membership_revoke(*, actor, membership: Membership) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="org.membership_revoke",
            obj=membership,
            agency=membership.agency,
            changes={
                "before": {
                    "user": membership.user_id,
                    "agency": membership.agency_id,
                    "role": membership.role,
                }
            },
        )
        membership.delete()
