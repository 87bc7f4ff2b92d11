"""Duplicate and repeat detection: scoring, the bounded candidate search, links, mass counts."""

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danvan.core.errors import ConcurrentChangeError
from danvan.core.models import AuditEvent
from danvan.org.models import Membership
from danvan.petitions import sealing
from danvan.petitions import workflow as wf
from danvan.petitions.duplicates import (
    LIKELY,
    POSSIBLE,
    find_candidates,
    mass_petition_counts,
    petition_link,
    repeat_suggestion,
    score_pair,
    text_similarity,
)
from danvan.petitions.models import Petition, Transition
from danvan.petitions.services import PetitionerData, petition_move, petition_receive
from danvan.petitions.tests.conftest import eligible

LAND = (
    "Đề nghị giải quyết tranh chấp đất đai với hộ ông Lê Văn Đức tại thửa đất số 120, "
    "tờ bản đồ số 5, ấp Đông Hòa. Gia đình tôi đã nhiều lần yêu cầu nhưng chưa được xem xét."
)
POLLUTION = (
    "Phản ánh ô nhiễm môi trường từ cơ sở chăn nuôi heo gần khu dân cư ấp 3, mùi hôi và "
    "nước thải chảy ra kênh thủy lợi. Đề nghị chính quyền kiểm tra xử lý."
)
TODAY = timezone.localdate()


def keys(*, id_number: str = "", phone: str = "") -> list[str]:
    found = [sealing.match_key("id", id_number), sealing.match_key("phone", phone)]
    return [k for k in found if k]


class Intake:
    """A commune People's Committee receiving petitions, with its officer and an outsider."""

    def __init__(self, org_tree, make_member):
        self.tree = org_tree
        self.agency = org_tree.commune_pc
        self.officer = make_member(self.agency, Membership.Role.OFFICER)
        self.outsider = make_member(org_tree.front, Membership.Role.OFFICER)

    def receive(self, *, text=LAND, days_ago=0, people=None, agency=None, **extra):
        people = [PetitionerData(full_name="Trần Văn Dân")] if people is None else people
        return petition_receive(
            actor=self.officer,
            agency=agency or self.agency,
            channel="post",
            subject=extra.pop("subject", "Tranh chấp đất đai"),
            content=text,
            received_on=TODAY - dt.timedelta(days=days_ago),
            petitioners=people,
            unit=extra.pop("unit", self.tree.commune),
            **extra,
        )

    def find(self, *, text=LAND, match_keys=(), unit=None, **extra):
        return find_candidates(
            text="Tranh chấp đất đai " + text,
            unit_id=(unit or self.tree.commune).pk,
            agency_id=self.agency.pk,
            match_keys=list(match_keys),
            received_on=TODAY,
            **extra,
        )

    def move(self, petition, action, **kwargs):
        petition.refresh_from_db()
        if action == "classify":
            kwargs.setdefault("eligibility", eligible(kwargs.get("kind", "")))
        return petition_move(
            actor=self.officer,
            petition=petition,
            action=action,
            expected_version=petition.version,
            **kwargs,
        )


@pytest.fixture
def intake(org_tree, make_member):
    return Intake(org_tree, make_member)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(LAND.replace("Đ", "D").replace("đ", "d"), id="d-for-đ"),
        pytest.param(
            "".join(c for c in unicodedata.normalize("NFD", LAND) if not unicodedata.combining(c)),
            id="no-diacritics",
        ),
        pytest.param(LAND.upper(), id="upper-case"),
        pytest.param(" ".join(reversed(LAND.split())), id="reordered-words"),
        pytest.param("  " + LAND.replace(" ", "   ") + "\n", id="extra-spaces"),
        pytest.param(unicodedata.normalize("NFD", LAND), id="nfd-input"),
    ],
)
def test_it_scores_vietnamese_variants_of_the_same_text_as_identical(variant):
    assert text_similarity(LAND, variant) >= 95


def test_it_scores_unrelated_texts_low_even_with_shared_stock_phrases():
    assert text_similarity(LAND, POLLUTION) < 50
    score = score_pair(
        a_text=LAND, b_text=POLLUTION, a_keys=[], b_keys=[], same_unit=True, days_apart=3
    )
    assert score.value < POSSIBLE
    assert "similar_text" not in score.reasons


def test_it_does_not_let_a_few_words_inside_a_long_letter_count_as_a_copy():
    assert text_similarity("tranh chấp đất đai", LAND) < 60


def test_it_makes_the_same_citizen_id_alone_a_likely_duplicate():
    score = score_pair(
        a_text=LAND,
        b_text=POLLUTION,
        a_keys=keys(id_number="079123456789"),
        b_keys=keys(id_number="079123456789", phone="0911222333"),
        same_unit=False,
        days_apart=900,
    )
    assert score.value >= LIKELY
    assert score.reasons == ["same_id"]


def test_it_makes_similar_text_in_the_same_unit_within_the_window_likely():
    retyped = LAND.replace("Gia đình tôi", "Tôi").replace("xem xét", "giải quyết dứt điểm")
    score = score_pair(
        a_text=LAND, b_text=retyped, a_keys=[], b_keys=[], same_unit=True, days_apart=20
    )
    assert score.value >= LIKELY
    assert set(score.reasons) == {"similar_text", "same_unit", "recent"}
    elsewhere_long_ago = score_pair(
        a_text=LAND, b_text=retyped, a_keys=[], b_keys=[], same_unit=False, days_apart=400
    )
    assert elsewhere_long_ago.value < LIKELY


def test_it_finds_an_old_case_of_the_same_citizen_id_with_different_text(intake):
    earlier = intake.receive(
        text=POLLUTION,
        days_ago=700,
        agency=intake.tree.dept_a,
        people=[PetitionerData(full_name="Trần Văn Dân", id_number="079123456789")],
    )
    found = intake.find(match_keys=keys(id_number="0791 2345 6789"))
    assert [c.petition for c in found] == [earlier]
    assert found[0].score.value >= LIKELY
    assert "same_id" in found[0].score.reasons


def test_it_matches_a_phone_given_in_plus84_and_0_forms(intake):
    earlier = intake.receive(
        text=POLLUTION,
        days_ago=400,
        people=[PetitionerData(full_name="Trần Văn Dân", phone="+84 912 345 678")],
    )
    found = intake.find(match_keys=keys(phone="0912.345.678"))
    assert [c.petition for c in found] == [earlier]
    assert "same_phone" in found[0].score.reasons
    assert found[0].score.is_likely


def test_it_ranks_the_copy_first_among_cases_of_the_same_citizen(intake):
    citizen = [PetitionerData(full_name="Trần Văn Dân", id_number="079123456789")]
    copy = intake.receive(days_ago=40, people=citizen)
    for days_ago in (5, 10, 20):  # newer, but about something else
        intake.receive(text=POLLUTION, days_ago=days_ago, people=citizen)
    found = intake.find(match_keys=keys(id_number="079123456789"))
    assert len(found) == 4
    assert found[0].petition == copy
    assert found[0].score.value == 100


def test_it_ignores_a_same_text_case_outside_the_window_without_a_shared_key(intake, settings):
    old = intake.receive(days_ago=200)
    recent = intake.receive(days_ago=30)
    assert [c.petition for c in intake.find()] == [recent]
    settings.DANVAN_DUPLICATE_WINDOW_DAYS = 365  # read at call time
    assert {c.petition for c in intake.find()} == {recent, old}


def test_it_finds_a_sealed_denunciation_by_phone_but_exposes_no_identity(intake):
    name = "Nguyễn Thị Bímật"
    sealed = intake.receive(
        kind=wf.DENUNCIATION,
        subject="Tố cáo cán bộ địa chính",
        text="Cán bộ X nhận tiền để cấp giấy chứng nhận quyền sử dụng đất.",
        days_ago=500,
        people=[PetitionerData(full_name=name, phone="0987654321", address="Ấp 3")],
    )
    found = intake.find(match_keys=keys(phone="+84987654321"))
    assert [c.petition.pk for c in found] == [sealed.pk]
    candidate = found[0]
    assert candidate.sealed is True
    assert "sealed_identity" not in candidate.petition._state.fields_cache
    assert list(candidate.petition.petitioners.all()) == []
    for text in (repr(candidate), str(candidate), repr(candidate.score)):
        assert "Bímật" not in text and "bimat" not in text.lower()


def _settle(petition: Petition, **steps: dict) -> None:
    """Put a case straight into a settled state with its decision rows. How a case gets there
    is the workflow tests' business (acceptance has its own preconditions); this needs only the
    end state and its history."""
    status = petition.status
    for action, step in steps.items():
        Transition.objects.create(petition=petition, action=action, from_status=status, **step)
        status = step["to_status"]
    Petition.objects.filter(pk=petition.pk).update(status=status)
    petition.refresh_from_db()


def test_it_suggests_filing_a_repeat_of_a_resolved_case_naming_the_earlier_code(intake):
    earlier = intake.receive(days_ago=90)
    _settle(
        earlier,
        resolve={
            "to_status": wf.RESOLVED,
            "reason": "Giữ nguyên ranh giới theo bản đồ địa chính",
            "legal_basis": "Quyết định 15/QĐ-UBND",
        },
        close={"to_status": wf.CLOSED},  # the last step carries no decision of its own
    )
    suggestion = repeat_suggestion(earlier)
    assert suggestion is not None
    assert suggestion.action == "file"
    assert suggestion.earlier_code == earlier.tracking_code
    assert earlier.tracking_code in suggestion.reason
    assert "Quyết định 15/QĐ-UBND" in suggestion.reason
    assert "Giữ nguyên ranh giới" in suggestion.reason


def test_it_suggests_filing_a_repeat_of_a_case_filed_through_the_workflow(intake):
    earlier = intake.receive(days_ago=30)
    intake.move(earlier, "classify", kind=wf.COMPLAINT)
    intake.move(earlier, "file", reason="Đơn nặc danh", legal_basis="TT 05/2021 Đ28")
    earlier.refresh_from_db()
    suggestion = repeat_suggestion(earlier)
    assert suggestion is not None and suggestion.action == "file"
    assert "TT 05/2021 Đ28" in suggestion.reason


def test_it_suggests_nothing_for_an_open_earlier_case(intake):
    assert repeat_suggestion(intake.receive(days_ago=10)) is None


def test_it_links_a_duplicate_with_one_audit_event(intake):
    earlier, later = intake.receive(days_ago=5), intake.receive()
    linked = petition_link(
        actor=intake.officer,
        petition=later,
        other=earlier,
        relation="duplicate",
        expected_version=later.version,
    )
    later.refresh_from_db()
    assert later.duplicate_of == earlier
    assert later.repeat_of is None
    assert later.version == linked.version == 2
    event = AuditEvent.objects.get(action="petitions.link_duplicate")
    assert event.object_id == str(later.pk)
    assert event.changes["after"]["duplicate_of"] == earlier.pk


def test_it_links_a_repeat_to_the_earlier_case_only(intake):
    earlier, later = intake.receive(days_ago=60), intake.receive()
    with pytest.raises(ValidationError):
        petition_link(
            actor=intake.officer,
            petition=earlier,
            other=later,
            relation="repeat",
            expected_version=earlier.version,
        )
    petition_link(
        actor=intake.officer, petition=later, other=earlier, relation="repeat", expected_version=1
    )
    assert Petition.objects.get(pk=later.pk).repeat_of_id == earlier.pk
    assert AuditEvent.objects.filter(action="petitions.link_repeat").count() == 1


def test_it_refuses_a_link_made_on_a_stale_version(intake):
    earlier, later = intake.receive(days_ago=5), intake.receive()
    stale = later.version
    petition_link(
        actor=intake.officer, petition=later, other=earlier, relation="repeat", expected_version=1
    )
    with pytest.raises(ConcurrentChangeError):
        petition_link(
            actor=intake.officer,
            petition=later,
            other=earlier,
            relation="duplicate",
            expected_version=stale,
        )
    assert Petition.objects.get(pk=later.pk).duplicate_of_id is None
    assert not AuditEvent.objects.filter(action="petitions.link_duplicate").exists()


def test_it_refuses_linking_a_case_to_itself(intake):
    petition = intake.receive()
    with pytest.raises(ValidationError):
        petition_link(
            actor=intake.officer,
            petition=petition,
            other=petition,
            relation="duplicate",
            expected_version=petition.version,
        )
    assert Petition.objects.get(pk=petition.pk).duplicate_of_id is None


def test_it_refuses_linking_to_a_case_the_officer_cannot_see(intake):
    hidden = intake.receive(days_ago=5, agency=intake.tree.front)
    mine = intake.receive()
    with pytest.raises(ValidationError) as exc:
        petition_link(
            actor=intake.officer,
            petition=mine,
            other=hidden,
            relation="duplicate",
            expected_version=mine.version,
        )
    assert "other" in exc.value.error_dict
    assert Petition.objects.get(pk=mine.pk).duplicate_of_id is None


def test_it_limits_candidates_to_what_the_user_may_see(intake):
    intake.receive(days_ago=5, agency=intake.tree.front)
    assert len(intake.find()) == 1
    assert intake.find(user=intake.officer) == []


def _bulk(intake, count: int) -> None:
    """`count` similar petitions in the window, created without the per-case service cost."""
    rows = []
    for i in range(count):
        petition = Petition(
            tracking_code=f"BULK{i:06d}",
            agency=intake.agency,
            unit=intake.tree.commune,
            channel="post",
            subject="Tranh chấp đất đai",
            content=f"{LAND} Lần {i}.",
            received_on=TODAY - dt.timedelta(days=i % 150),
            match_keys=keys(phone=f"0912{i:06d}"),
        )
        petition.refresh_search_text()
        rows.append(petition)
    Petition.objects.bulk_create(rows)


def _queries_for_find(intake) -> int:
    with CaptureQueriesContext(connection) as ctx:
        found = intake.find(match_keys=keys(phone="0912000001", id_number="079123456789"))
        for candidate in found:  # what an intake page shows must already be loaded
            str(candidate.petition.agency), str(candidate.petition.unit)
    assert found
    return len(ctx.captured_queries)


def test_it_uses_the_same_number_of_queries_for_5_or_200_petitions_in_the_window(intake):
    _bulk(intake, 5)
    few = _queries_for_find(intake)
    Petition.objects.all().delete()
    _bulk(intake, 200)
    many = _queries_for_find(intake)
    assert few == many <= 4


def test_it_counts_mass_petitions_and_their_people(intake, settings):
    settings.DANVAN_MASS_PETITION_MIN = 5
    intake.receive(petitioner_count=12)
    intake.receive(petitioner_count=7)
    intake.receive(petitioner_count=2)
    assert mass_petition_counts(Petition.objects.all()) == {"petitions": 2, "people": 19}
    assert mass_petition_counts(Petition.objects.none()) == {"petitions": 0, "people": 0}
