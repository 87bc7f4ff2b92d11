import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from danvan.core.models import AuditEvent, LegalRule
from danvan.petitions.models import SEALED, Petition, Petitioner
from danvan.reception.models import ReceptionRefusal, ReceptionSession, ReceptionVisit
from danvan.reception.services import (
    refusal_record,
    session_cancel,
    session_mark_held,
    session_plan,
    visit_record,
)
from danvan.reception.tests.conftest import visit_kwargs

pytestmark = pytest.mark.django_db


def _plan(desk, **extra):
    data = {
        "actor": desk.officer,
        "agency": desk.agency,
        "leader": desk.chair,
        "role": "commune_pc_chair",
        "date": dt.date(2026, 6, 12),
        "place": "Trụ sở UBND phường",
    }
    data.update(extra)
    return session_plan(**data)


def test_it_plans_a_session_and_audits_it(desk):
    session = _plan(desk)
    assert session.status == ReceptionSession.Status.PLANNED
    event = AuditEvent.objects.get(action="reception.session_plan")
    assert event.object_id == str(session.pk) and event.agency == desk.agency


def test_it_refuses_an_online_session_before_1_7_2026(desk):
    with pytest.raises(ValidationError) as exc:
        _plan(desk, mode="online", date=dt.date(2026, 6, 30))
    assert "1/7/2026" in exc.value.message_dict["mode"][0]
    assert not ReceptionSession.objects.exists()
    assert _plan(desk, mode="online", date=dt.date(2026, 7, 1)).mode == "online"


def test_it_refuses_a_leader_from_elsewhere_and_a_role_that_does_not_head_the_agency(desk):
    with pytest.raises(ValidationError) as exc:
        _plan(desk, leader=desk.city_leader, role="province_pc_chair", place="")
    assert set(exc.value.message_dict) == {"leader", "role", "place"}


def test_it_marks_a_session_held_once_and_not_before_its_date(desk):
    session = _plan(desk)
    session_mark_held(actor=desk.clerk, session=session)
    session.refresh_from_db()
    assert session.status == ReceptionSession.Status.HELD
    with pytest.raises(ValidationError):
        session_mark_held(actor=desk.clerk, session=session)
    future = _plan(desk, date=dt.date(2026, 12, 4))
    with pytest.raises(ValidationError):
        session_mark_held(actor=desk.clerk, session=future)
    session_cancel(actor=desk.officer, session=future)
    future.refresh_from_db()
    assert future.status == ReceptionSession.Status.CANCELLED
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("reception.session_mark_held") == 1
    assert actions.count("reception.session_cancel") == 1


def test_a_visit_from_4_people_needs_no_representative(desk):
    visit = visit_record(**visit_kwargs(desk, people_count=4))
    assert visit.representatives == []


@pytest.mark.parametrize(("people", "reps"), [(7, 3), (12, 6), (6, 0)])
def test_it_refuses_a_group_with_the_wrong_number_of_representatives(desk, people, reps):
    names = [f"Người đại diện {i}" for i in range(reps)]
    with pytest.raises(ValidationError) as exc:
        visit_record(**visit_kwargs(desk, people_count=people, representatives=names))
    assert "Luật Khiếu nại" in exc.value.message_dict["representatives"][0]
    assert not ReceptionVisit.objects.exists()


def test_a_group_of_12_may_send_5_representatives(desk):
    names = ["Trần Văn Dân", "Lê Thị Hai", "Phạm Văn Ba", "Võ Thị Tư", "Đỗ Văn Năm"]
    visit = visit_record(**visit_kwargs(desk, people_count=12, representatives=names))
    assert visit.representatives == names


def test_an_accepted_visit_opens_a_reception_petition_in_the_same_transaction(desk):
    names = ["Trần Văn Dân", "Lê Thị Hai"]
    visit = visit_record(
        **visit_kwargs(desk, action="accepted", people_count=7, representatives=names)
    )
    petition = visit.petition
    assert petition.channel == Petition.Channel.RECEPTION
    assert (petition.kind, petition.agency, petition.received_on) == (
        "complaint",
        desk.agency,
        dt.date(2026, 11, 20),
    )
    assert petition.petitioner_count == 7
    people = list(petition.petitioners.values_list("full_name", "is_representative"))
    assert people == [("Trần Văn Dân", True), ("Lê Thị Hai", True)]
    assert AuditEvent.objects.filter(action="reception.visit_record").count() == 1


def test_a_failure_in_the_petition_part_leaves_no_visit(desk):
    LegalRule.objects.filter(code="petition.process").delete()  # its clock cannot start
    with pytest.raises(LookupError):
        visit_record(**visit_kwargs(desk, action="accepted"))
    assert not ReceptionVisit.objects.exists()
    assert not Petition.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reception.").exists()


def test_a_bad_id_number_is_an_error_on_the_id_field(desk):
    with pytest.raises(ValidationError) as exc:
        visit_record(**visit_kwargs(desk, action="accepted", id_number="12345"))
    assert list(exc.value.message_dict) == ["id_number"]
    assert not ReceptionVisit.objects.exists()


def test_a_denunciation_is_logged_as_sealed_and_its_petition_is_sealed(desk):
    visit = visit_record(
        **visit_kwargs(
            desk,
            kind="denunciation",
            action="accepted",
            people_count=6,
            representatives=["Trần Văn Dân"],
        )
    )
    visit.refresh_from_db()
    assert (visit.citizen_name, visit.address, visit.id_number) == (SEALED, SEALED, SEALED)
    assert visit.representatives == [SEALED]
    petition = Petition.objects.get(pk=visit.petition_id)
    assert petition.is_sealed
    assert not Petitioner.objects.filter(petition=petition).exists()
    assert not AuditEvent.objects.filter(object_repr__contains="Trần Văn Dân").exists()


def test_a_forwarded_visit_names_where_it_went(desk):
    with pytest.raises(ValidationError) as exc:
        visit_record(**visit_kwargs(desk, action="forwarded"))
    assert list(exc.value.message_dict) == ["forwarded_to"]
    visit = visit_record(**visit_kwargs(desk, action="forwarded", forwarded_to="Sở Tư pháp"))
    assert visit.petition is None


def test_a_visit_in_a_session_must_be_on_its_day_at_its_agency(desk):
    session = _plan(desk)
    with pytest.raises(ValidationError) as exc:
        visit_record(**visit_kwargs(desk, session=session))
    assert list(exc.value.message_dict) == ["session"]
    visit = visit_record(**visit_kwargs(desk, session=session, visited_on=session.date))
    assert visit.session == session


def _refuse(desk, **extra):
    data = {
        "actor": desk.clerk,
        "agency": desk.agency,
        "refused_on": dt.date(2026, 11, 20),
        "person": "Nguyễn Văn Say",
        "ground": "intoxicated",
        "explanation": "Có mùi rượu nồng, nói năng không kiểm soát.",
    }
    data.update(extra)
    return refusal_record(**data)


def test_a_refusal_needs_a_legal_ground_and_an_explanation(desk):
    with pytest.raises(ValidationError) as exc:
        _refuse(desk, ground="", explanation=" ")
    assert set(exc.value.message_dict) == {"ground", "explanation"}
    with pytest.raises(ValidationError):
        _refuse(desk, ground="did_not_like_them")
    assert not ReceptionRefusal.objects.exists()
    refusal = _refuse(desk)
    assert refusal.ground == ReceptionRefusal.Ground.INTOXICATED
    assert AuditEvent.objects.filter(action="reception.refusal_record").count() == 1


def test_refusing_a_settled_case_needs_the_written_notice(desk):
    with pytest.raises(ValidationError) as exc:
        _refuse(desk, ground="repeat_settled")
    assert "04/2021" in exc.value.message_dict["written_notice"][0]
    assert _refuse(desk, ground="repeat_settled", written_notice=True).written_notice
