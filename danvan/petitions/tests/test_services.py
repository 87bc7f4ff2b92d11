import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from danvan.core.errors import ConcurrentChangeError, TransitionError
from danvan.core.models import AuditEvent, LegalRule
from danvan.petitions.models import SEALED, Petition, Petitioner, Transition
from danvan.petitions.selectors import petitioner_label
from danvan.petitions.services import PetitionerData
from danvan.petitions.tests.conftest import SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db


def test_intake_starts_the_processing_clock_and_gives_a_tracking_code(desk):
    p = desk.receive()
    assert len(p.tracking_code) == 10 and p.status == "received"
    deadline = p.deadlines.get(kind="process")
    assert deadline.rule.code == "petition.process"
    # 10 calendar days from Tue 10/2/2026 end on Fri 20/2, inside Tết: rolls to Mon 23/2.
    assert deadline.due_on == dt.date(2026, 2, 23) == p.due_on


@pytest.mark.parametrize(
    ("people", "field"),
    [
        ([PetitionerData(full_name="")], "petitioner_0_full_name"),
        ([PetitionerData(full_name="A", id_number="12345")], "petitioner_0_id_number"),
        ([PetitionerData(full_name="A", phone="12ab")], "petitioner_0_phone"),
        ([], "petitioner_0_full_name"),
    ],
)
def test_intake_refuses_bad_petitioner_data_field_by_field(desk, people, field):
    with pytest.raises(ValidationError) as exc:
        desk.receive(people=people)
    assert field in exc.value.error_dict
    assert not Petition.objects.exists()


def test_intake_normalises_nfd_text(desk):
    p = desk.receive(subject="Đe\u0302\u0300 nghi\u0323")  # "Đề nghị" typed decomposed
    assert p.subject == "Đề nghị"


def test_a_denunciation_is_sealed_at_intake_and_shown_as_sealed(desk):
    p = desk.denunciation()
    assert p.is_sealed and not Petitioner.objects.filter(petition=p).exists()
    assert SECRET_NAME.encode() not in bytes(p.sealed_identity.ciphertext)
    assert petitioner_label(p) == SEALED
    assert len(p.match_keys) == 2  # ID and phone, as keyed hashes
    assert not any(SECRET_PHONE in k for k in p.match_keys)


def test_reclassifying_as_denunciation_seals_the_plain_petitioners(desk):
    p = desk.receive()
    desk.move(p, "classify", kind="denunciation")
    p.refresh_from_db()
    assert p.is_sealed and not p.petitioners.exists()
    assert p.deadlines.get(kind="check").rule.code == "denunciation.check"


def test_complaint_clocks_across_tet_and_acceptance(desk):
    p = desk.receive(received_on=dt.date(2026, 2, 10))
    desk.move(p, "classify", kind="complaint")
    p.refresh_from_db()
    assert p.deadlines.get(kind="accept").due_on == dt.date(2026, 2, 23)  # 10 days → Tết roll
    desk.move(p, "accept", on=dt.date(2026, 2, 24))
    p.refresh_from_db()
    resolve = p.deadlines.get(kind="resolve")
    assert (resolve.start_on, resolve.due_on, resolve.days) == (
        dt.date(2026, 2, 24),
        dt.date(2026, 3, 26),
        30,
    )
    assert p.deadlines.get(kind="accept").met_on == dt.date(2026, 2, 24)
    assert p.due_on == dt.date(2026, 3, 26)


def test_complex_remote_second_instance_gets_70_days(desk):
    p = desk.receive()
    desk.move(p, "classify", kind="complaint", is_complex=True, is_remote=True)
    p.refresh_from_db()
    p.instance = 2
    p.save()
    desk.move(p, "accept", on=dt.date(2026, 3, 2))
    assert p.deadlines.get(kind="resolve").days == 70


def test_denunciation_check_in_working_days_and_two_extensions(desk):
    p = desk.denunciation(received_on=dt.date(2026, 2, 13))
    desk.move(p, "classify", kind="denunciation")
    p.refresh_from_db()
    assert p.deadlines.get(kind="check").due_on == dt.date(2026, 3, 3)  # 7 working days, Tết
    desk.move(p, "accept", on=dt.date(2026, 3, 2))
    first = p.deadlines.get(kind="resolve").due_on
    desk.move(p, "extend", reason="Vụ việc phức tạp, QĐ gia hạn số 12")
    second = p.deadlines.get(kind="resolve")
    assert second.days == 60 and second.due_on > first
    desk.move(p, "extend", reason="Đặc biệt phức tạp")
    with pytest.raises(TransitionError):
        desk.move(p, "extend", reason="Lần ba")
    assert p.deadlines.get(kind="resolve").days == 90


def test_the_rule_in_force_on_the_start_date_applies(desk):
    """A new version of a rule from 1/7/2026 governs cases whose clock starts from then on."""
    old = LegalRule.objects.get(code="complaint.resolve.first")
    old.valid_to = dt.date(2026, 6, 30)
    old.save()
    LegalRule.objects.create(
        code="complaint.resolve.first",
        title="Phiên bản mới",
        period_days=20,
        unit="calendar",
        law="Luật 136/2025/QH15",
        article="(thử)",
        valid_from=dt.date(2026, 7, 1),
    )
    before = desk.receive(received_on=dt.date(2026, 6, 1))
    after = desk.receive(received_on=dt.date(2026, 6, 1))
    for p, on in ((before, dt.date(2026, 6, 30)), (after, dt.date(2026, 7, 1))):
        desk.move(p, "classify", kind="complaint")
        desk.move(p, "accept", on=on)
    assert before.deadlines.get(kind="resolve").days == 30
    assert after.deadlines.get(kind="resolve").days == 20


def test_a_stale_move_is_refused_naming_who_moved_first(desk):
    p = desk.receive()
    stale_version = p.version
    desk.move(p, "classify", actor=desk.officer, kind="feedback")
    with pytest.raises(ConcurrentChangeError) as exc:
        from danvan.petitions.services import petition_move

        petition_move(
            actor=desk.officer2,
            petition=p,
            action="classify",
            expected_version=stale_version,
            kind="complaint",
        )
    assert str(desk.officer) in " ".join(exc.value.messages)
    p.refresh_from_db()
    assert p.kind == "feedback"


def test_a_denunciation_is_transferred_only_once(desk):
    p = desk.denunciation()
    desk.move(p, "classify", kind="denunciation")
    desk.move(p, "transfer", reason="Không thuộc thẩm quyền", target_agency=desk.tree.dept_a)
    dup = desk.denunciation()
    dup.duplicate_of = p
    dup.save()
    desk.move(dup, "classify", kind="denunciation")
    with pytest.raises(TransitionError):
        desk.move(dup, "transfer", reason="Chuyển lại", target_agency=desk.tree.dept_b)


def test_a_multi_matter_petition_splits_into_linked_cases(desk):
    p = desk.receive()
    desk.move(p, "classify", kind="multiple")
    desk.move(
        p,
        "split",
        reason="Hai nội dung",
        parts=[
            {"kind": "complaint", "subject": "Khiếu nại quyết định thu hồi đất"},
            {"kind": "denunciation", "subject": "Tố cáo cán bộ"},
        ],
    )
    parts = list(p.parts.order_by("kind"))
    assert [x.kind for x in parts] == ["complaint", "denunciation"]
    assert parts[1].is_sealed and not parts[1].petitioners.exists()
    assert parts[0].petitioners.count() == 1


def test_second_instance_opens_a_linked_case_at_the_higher_agency(desk):
    p = desk.receive()
    desk.move(p, "classify", kind="complaint")
    desk.move(p, "accept")
    desk.move(p, "resolve", reason="Quyết định giải quyết lần đầu số 5")
    desk.move(p, "second_instance", reason="Không đồng ý", target_agency=desk.tree.city)
    second = Petition.objects.get(previous_instance=p)
    assert (second.instance, second.agency, second.status) == (2, desk.tree.city, "received")


def test_every_move_writes_a_transition_and_one_audit_event(desk):
    p = desk.receive()
    events = AuditEvent.objects.count()
    desk.move(p, "classify", kind="feedback")
    assert AuditEvent.objects.count() == events + 1
    t = Transition.objects.filter(petition=p).last()
    assert (t.action, t.from_status, t.to_status, t.actor) == (
        "classify",
        "received",
        "classified",
        desk.officer,
    )


def test_mass_petitions_are_flagged(desk):
    assert desk.receive(petitioner_count=12).is_mass
    assert not desk.receive(petitioner_count=2).is_mass


def test_acceptance_waits_for_the_eligibility_checks_of_the_kind(desk):
    from danvan.petitions.services import petition_move

    p = desk.receive()
    desk.move(p, "classify", kind="complaint", eligibility=["language"])
    p.refresh_from_db()
    with pytest.raises(TransitionError) as exc:
        petition_move(actor=desk.officer, petition=p, action="accept", expected_version=p.version)
    assert exc.value.code == "eligibility"
    desk.move(p, "file", reason="Đơn không đủ điều kiện", legal_basis="TT 05/2021 Đ28")
    p.refresh_from_db()
    assert p.status == "filed"


def test_an_anonymous_denunciation_is_not_accepted_under_the_law(desk):
    p = desk.receive(kind="denunciation", is_anonymous=True, people=[])
    desk.move(p, "classify", kind="denunciation")
    with pytest.raises(TransitionError) as exc:
        desk.move(p, "accept")
    assert exc.value.code == "anonymous"
