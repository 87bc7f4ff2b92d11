"""Every service writes exactly one audit event; events cannot be changed through the app."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from danvan.core.audit import audit_log
from danvan.core.models import AuditEvent, CalendarOverride, LegalRule
from danvan.core.services import (
    legal_rules_seed,
    reference_object_delete,
    reference_object_save,
)
from danvan.org.models import Agency, Membership
from danvan.org.services import (
    agency_upsert,
    membership_grant,
    membership_revoke,
    staff_user_upsert,
)
from danvan.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class CountEvents:
    def __enter__(self):
        self.before = AuditEvent.objects.count()
        return self

    def __exit__(self, *exc):
        self.added = AuditEvent.objects.count() - self.before


def test_it_writes_one_event_per_org_service_call(org_tree):
    actor = UserFactory()
    with CountEvents() as c:
        agency, _ = agency_upsert(
            actor=actor,
            code="new",
            name="Sở Mới",
            kind=Agency.Kind.DEPARTMENT,
            unit=org_tree.province,
        )
    assert c.added == 1
    with CountEvents() as c:
        agency_upsert(
            actor=actor,
            code="new",
            name="Sở Mới đổi tên",
            kind=Agency.Kind.DEPARTMENT,
            unit=org_tree.province,
        )
    assert c.added == 1
    event = AuditEvent.objects.first()
    assert event.action == "org.agency_update"
    assert event.changes == {"before": {"name": "Sở Mới"}, "after": {"name": "Sở Mới đổi tên"}}
    with CountEvents() as c:
        user = staff_user_upsert(actor=actor, username="u1", full_name="Nguyễn Thị Một")
    assert c.added == 1
    with CountEvents() as c:
        membership = membership_grant(
            actor=actor, user=user, agency=agency, role=Membership.Role.OFFICER
        )
    assert c.added == 1
    with CountEvents() as c:
        membership_revoke(actor=actor, membership=membership)
    assert c.added == 1


def test_it_writes_nothing_when_an_upsert_changes_nothing(org_tree):
    args = {
        "actor": None,
        "code": "same",
        "name": "Sở Cũ",
        "kind": Agency.Kind.DEPARTMENT,
        "unit": org_tree.province,
    }
    agency_upsert(**args)
    with CountEvents() as c:
        _, changed = agency_upsert(**args)
    assert (changed, c.added) == (False, 0)


def test_it_writes_one_event_per_reference_data_save_and_delete():
    actor = UserFactory()
    override = CalendarOverride(date=dt.date(2027, 1, 4), kind="day_off", name="Nghỉ bù")
    with CountEvents() as c:
        reference_object_save(actor=actor, obj=override, is_new=True)
    assert c.added == 1
    override.name = "Nghỉ bù Tết Dương lịch"
    with CountEvents() as c:
        reference_object_save(actor=actor, obj=override, is_new=False)
    assert c.added == 1
    assert AuditEvent.objects.first().changes["after"] == {"name": "Nghỉ bù Tết Dương lịch"}
    with CountEvents() as c:
        reference_object_delete(actor=actor, obj=override)
    assert c.added == 1
    assert not CalendarOverride.objects.exists()


def test_it_seeds_rules_with_one_event_and_then_none():
    LegalRule.objects.all().delete()
    with CountEvents() as c:
        added = legal_rules_seed()
    assert added > 10 and c.added == 1
    with CountEvents() as c:
        assert legal_rules_seed() == 0
    assert c.added == 0


def test_it_records_ip_and_request_id_from_the_request(client, org_tree):
    from danvan.core.request_context import RequestInfo, reset_request_info, set_request_info

    token = set_request_info(RequestInfo(ip_address="10.1.2.3", request_id="abc"))
    try:
        event = audit_log(actor=None, action="test.ctx")
    finally:
        reset_request_info(token)
    assert (event.ip_address, event.request_id, event.actor_repr) == ("10.1.2.3", "abc", "system")


def test_it_refuses_to_change_or_delete_an_event():
    event = audit_log(actor=None, action="test.immutable")
    event.action = "test.tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.immutable"


def test_it_offers_no_add_change_or_delete_in_the_admin():
    admin = UserFactory(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/")
    request.user = admin
    model_admin = site._registry[AuditEvent]
    event = audit_log(actor=None, action="test.admin")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_admin_edits_go_through_the_audited_service(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    with CountEvents() as c:
        response = client.post(
            "/admin/core/calendaroverride/add/",
            {"date": "2027-01-04", "kind": "day_off", "name": "Nghỉ bù", "legal_basis": ""},
        )
    assert response.status_code == 302
    assert c.added == 1
    assert AuditEvent.objects.first().action == "core.calendaroverride.create"
