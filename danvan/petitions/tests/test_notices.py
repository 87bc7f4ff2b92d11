"""Notices and verification copies: content from the case, sealed identities kept out, access."""

import datetime as dt
import zipfile
from io import BytesIO

import pytest
from django.urls import include, path, reverse
from django.utils import timezone
from docx import Document

from danvan.core.models import AuditEvent
from danvan.org.models import Membership
from danvan.petitions import urls_notices
from danvan.petitions.notices import NOTICE_KINDS, build_notice, build_verification_copy
from danvan.petitions.services import PetitionerData, petition_move, petition_receive
from danvan.petitions.tests.conftest import eligible

try:
    from danvan.petitions.urls import urlpatterns as _petition_patterns
except ImportError:  # the petitions pages are not there yet
    _petition_patterns = []

R = Membership.Role
# This module doubles as the URLconf of the view tests: the whole site, with the notice URLs in
# the "petitions" namespace whether or not the petitions URLconf includes them yet (the first
# "petitions" namespace listed wins, and it carries every petitions URL).
urlpatterns = [
    path(
        "petitions/",
        include(([*_petition_patterns, *urls_notices.urlpatterns], "petitions")),
    ),
    path("", include("config.urls")),
]

SECRET_NAME = "Tên Bí Mật Thử"
SECRET_ID = "012345678901"
SECRET_PHONE = "0912345678"
DENOUNCER = PetitionerData(full_name=SECRET_NAME, id_number=SECRET_ID, phone=SECRET_PHONE)
COMPLAINANT = PetitionerData(full_name="Nguyễn Văn Khiếu", address="Số 1 đường Trần Hưng Đạo")
# notice → (workflow action, reason, legal basis)
MOVES = {
    "acceptance": ("accept", "Đơn đủ điều kiện thụ lý", "Điều 27 Luật Khiếu nại"),
    "refusal": ("file", "Quyết định đã có hiệu lực pháp luật", "Điều 11 Luật Khiếu nại"),
    "transfer": ("transfer", "Không thuộc thẩm quyền của Sở Nội vụ", "Thông tư 05/2021/TT-TTCP"),
    "guidance": ("guide", "Gửi đơn đến Tòa án nhân dân khu vực", "Điều 7 Luật Khiếu nại"),
}


def _text(data: bytes) -> str:
    """Everything a reader could find: every XML part's raw text plus python-docx's text."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        raw = "\n".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )
    doc = Document(BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([raw, *(p.text for p in doc.paragraphs), *cells])


def _receive(agency, actor, people, **fields):
    defaults = {
        "channel": "post",
        "subject": "Khiếu nại quyết định thu hồi đất",
        "content": "Tôi không đồng ý với quyết định thu hồi đất số 12.",
        "received_on": timezone.localdate() - dt.timedelta(days=2),
        "kind": "complaint",
    }
    return petition_receive(
        actor=actor, agency=agency, petitioners=people, **{**defaults, **fields}
    )


def _move(petition, actor, action, **fields):
    if action == "classify":
        fields.setdefault("eligibility", eligible(fields.get("kind", "")))
    return petition_move(
        actor=actor, petition=petition, action=action, expected_version=petition.version, **fields
    )


@pytest.fixture
def officer(org_tree, make_member):
    return make_member(org_tree.dept_a, R.OFFICER)


@pytest.fixture
def complaint(org_tree, officer):
    petition = _receive(org_tree.dept_a, officer, [COMPLAINANT])
    return _move(petition, officer, "classify", kind="complaint")


def _decided(petition, officer, notice, target=None):
    action, reason, basis = MOVES[notice]
    extra = {"target_agency": target} if notice == "transfer" else {}
    return _move(petition, officer, action, reason=reason, legal_basis=basis, **extra)


@pytest.fixture
def denunciation(org_tree, officer):
    content = (
        f"Tôi là {SECRET_NAME.upper()}, CCCD {SECRET_ID}, điện thoại 0912 345 678, tố cáo "
        "ông Trần Văn Bị có hành vi nhận tiền của người dân khi cấp giấy phép."
    )
    petition = _receive(
        org_tree.dept_a,
        officer,
        [DENOUNCER],
        kind="denunciation",
        subject=f"Tố cáo ông Trần Văn Bị (người gửi: {SECRET_NAME})",
        content=content,
    )
    petition = _move(petition, officer, "classify", kind="denunciation")
    reason = f"Đơn của ông Ten Bi Mat Thu ({SECRET_PHONE}) đủ điều kiện thụ lý"
    return _move(petition, officer, "accept", reason=reason, legal_basis="Điều 29 Luật Tố cáo")


def _assert_no_identity(text: str) -> None:
    for secret in (SECRET_NAME, SECRET_NAME.upper(), "Ten Bi Mat Thu", SECRET_ID, SECRET_PHONE):
        assert secret not in text
    assert "0912 345 678" not in text


@pytest.mark.parametrize("notice", NOTICE_KINDS)
def test_it_builds_each_notice_from_the_case(org_tree, officer, complaint, notice):
    petition = _decided(complaint, officer, notice, target=org_tree.dept_b)
    filename, data = build_notice(petition=petition, notice=notice, actor=officer)
    text = _text(data)
    _, reason, basis = MOVES[notice]
    assert filename.endswith(f"-{petition.tracking_code}.docx")
    assert petition.tracking_code in text
    assert "Khiếu nại quyết định thu hồi đất" in text
    assert f"Căn cứ {basis};" in text
    assert reason in text
    assert "Ông/Bà Nguyễn Văn Khiếu" in text
    assert "Số: …/TB-…" in text
    assert "SỞ NỘI VỤ" in text and "UBND THÀNH PHỐ" in text
    if notice == "transfer":
        assert "Sở Tư pháp" in text


def test_it_states_the_resolution_deadline_with_its_citation(officer, complaint):
    petition = _decided(complaint, officer, "acceptance")
    deadline = petition.deadlines.get(kind="resolve")
    _, data = build_notice(petition=petition, notice="acceptance", actor=officer)
    text = _text(data)
    assert f"đến hết ngày {deadline.due_on:%d/%m/%Y}" in text
    assert deadline.rule.citation in text


def test_it_leaves_blanks_when_the_case_has_no_such_decision(officer, complaint):
    _, data = build_notice(petition=complaint, notice="refusal", actor=officer)
    assert "Lý do không thụ lý: …" in _text(data)


def test_it_writes_an_audit_event_for_each_document(officer, complaint):
    build_notice(petition=complaint, notice="guidance", actor=officer)
    build_verification_copy(petition=complaint, actor=officer)
    actions = AuditEvent.objects.filter(object_id=str(complaint.pk), actor=officer)
    assert set(actions.values_list("action", flat=True)) >= {
        "petitions.notice_generate",
        "petitions.verification_copy",
    }
    event = actions.get(action="petitions.notice_generate")
    assert event.changes["notice"] == "guidance"


def test_it_refuses_an_unknown_notice(officer, complaint):
    with pytest.raises(ValueError):
        build_notice(petition=complaint, notice="apology", actor=officer)


@pytest.mark.parametrize("notice", NOTICE_KINDS)
def test_it_keeps_the_denouncer_out_of_every_notice(officer, denunciation, notice):
    _, data = build_notice(petition=denunciation, notice=notice, actor=officer)
    text = _text(data)
    _assert_no_identity(text)
    assert "Người tố cáo (thông tin được bảo mật theo Luật Tố cáo)" in text
    assert denunciation.tracking_code in text


def test_it_keeps_the_denouncer_out_of_the_verification_copy(officer, denunciation):
    _, data = build_verification_copy(petition=denunciation, actor=officer)
    text = _text(data)
    _assert_no_identity(text)
    assert "ông Trần Văn Bị có hành vi nhận tiền" in text
    event = AuditEvent.objects.get(action="petitions.verification_copy")
    assert event.is_sensitive_read and event.changes["redactions"] >= 4
    assert SECRET_NAME not in str(event.changes)


def test_it_strips_a_complainants_identity_from_the_verification_copy(org_tree, officer):
    people = [PetitionerData(full_name="Lê Thị Gửi", phone="0987654321")]
    content = "Tôi, Lê Thị Gửi (ĐT +84 987 654 321), khiếu nại việc cấp sổ đỏ sai diện tích."
    petition = _receive(org_tree.dept_a, officer, people, content=content)
    _, data = build_verification_copy(petition=petition, actor=officer)
    text = _text(data)
    assert "Lê Thị Gửi" not in text and "987 654 321" not in text
    assert "khiếu nại việc cấp sổ đỏ sai diện tích" in text


# -- views ------------------------------------------------------------------------------------


def _url(petition, notice="acceptance"):
    return reverse("petitions:notice_download", args=[petition.pk, notice])


@pytest.mark.urls(__name__)
def test_an_officer_of_the_handling_agency_downloads_a_notice(client, officer, complaint):
    client.force_login(officer)
    response = client.get(_url(complaint))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert complaint.tracking_code in _text(b"".join(response.streaming_content))
    assert AuditEvent.objects.filter(
        action="petitions.notice_generate", object_id=str(complaint.pk), actor=officer
    ).exists()


@pytest.mark.urls(__name__)
def test_a_leader_downloads_the_verification_copy(client, org_tree, make_member, denunciation):
    client.force_login(make_member(org_tree.dept_a, R.LEADER))
    response = client.get(reverse("petitions:verification_copy", args=[denunciation.pk]))
    assert response.status_code == 200
    _assert_no_identity(_text(b"".join(response.streaming_content)))


@pytest.mark.urls(__name__)
def test_a_user_of_another_agency_gets_404(client, org_tree, make_member, complaint):
    client.force_login(make_member(org_tree.dept_b, R.OFFICER))
    assert client.get(_url(complaint)).status_code == 404
    url = reverse("petitions:verification_copy", args=[complaint.pk])
    assert client.get(url).status_code == 404


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("role", [R.VIEWER, R.CLERK])
def test_a_member_without_the_permission_gets_403(client, org_tree, make_member, complaint, role):
    client.force_login(make_member(org_tree.dept_a, role))
    assert client.get(_url(complaint)).status_code == 403
    assert not AuditEvent.objects.filter(action="petitions.notice_generate").exists()


@pytest.mark.urls(__name__)
def test_an_unknown_notice_is_404(client, officer, complaint):
    client.force_login(officer)
    assert client.get(_url(complaint, "apology")).status_code == 404


@pytest.mark.urls(__name__)
def test_an_anonymous_visitor_is_sent_to_log_in(client, complaint):
    response = client.get(_url(complaint))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(R.LEADER, True), (R.OFFICER, True), (R.CLERK, False), (R.INSPECTOR, False)],
)
def test_the_permission_follows_role_in_the_handling_agency(
    org_tree, make_member, complaint, role, allowed
):
    from danvan.petitions import rules_notices  # noqa: F401  (registers the permission)

    assert make_member(org_tree.dept_a, role).has_perm("petitions.generate_notice", complaint) is (
        allowed
    )
    city_leader = make_member(org_tree.city, R.LEADER)
    assert not city_leader.has_perm("petitions.generate_notice", complaint)
