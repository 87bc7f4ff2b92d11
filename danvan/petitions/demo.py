"""Demo petitions for `manage.py load_demo`: ~200 cases across Cần Thơ's communes in every
state, some overdue, some duplicates and repeats, mass petitions and sealed denunciations.
Deterministic (seeded) and dated relative to today; loaded only once."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from danvan.org.models import AdministrativeUnit, Agency
from danvan.petitions import workflow as wf
from danvan.petitions.models import Petition
from danvan.petitions.services import (
    PetitionerData,
    petition_assign,
    petition_move,
    petition_receive,
)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hoa",
    "Hùng",
    "Lan",
    "Mai",
    "Nam",
    "Phúc",
    "Tâm",
    "Thảo",
    "Tuấn",
    "Út",
    "Xuân",
    "Yến",
]
SUBJECTS = {
    wf.COMPLAINT: [
        "Khiếu nại quyết định thu hồi đất để làm đường",
        "Khiếu nại mức bồi thường, hỗ trợ tái định cư",
        "Khiếu nại việc không cấp giấy chứng nhận quyền sử dụng đất",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng",
    ],
    wf.DENUNCIATION: [
        "Tố cáo cán bộ địa chính nhận tiền khi làm hồ sơ",
        "Tố cáo việc lập khống danh sách hộ nghèo",
        "Tố cáo cán bộ ấp thu tiền đóng góp sai quy định",
    ],
    wf.RECOMMENDATION: [
        "Kiến nghị sửa chữa tuyến đường liên ấp bị sụt lún",
        "Kiến nghị lắp đèn chiếu sáng công cộng",
        "Kiến nghị nạo vét kênh thủy lợi nội đồng",
        "Kiến nghị xây cầu bê tông thay cầu khỉ",
    ],
    wf.FEEDBACK: [
        "Phản ánh tiếng ồn từ cơ sở xay xát ban đêm",
        "Phản ánh ô nhiễm nước thải từ trại heo",
        "Phản ánh thái độ phục vụ tại bộ phận một cửa",
        "Phản ánh rác thải tập kết không đúng nơi quy định",
    ],
}
# Where each demo case ends up: (target state, how many)
PLAN = [
    (wf.RECEIVED, 20),
    (wf.CLASSIFIED, 25),
    (wf.ACCEPTED, 40),
    (wf.VERIFYING, 20),
    (wf.RESOLVED, 25),
    (wf.CLOSED, 30),
    (wf.TRANSFERRED, 10),
    (wf.GUIDED, 10),
    (wf.FILED, 10),
    (wf.WITHDRAWN, 5),
]
# The moves that lead there from "received".
PATHS = {
    wf.RECEIVED: [],
    wf.CLASSIFIED: ["classify"],
    wf.ACCEPTED: ["classify", "accept"],
    wf.VERIFYING: ["classify", "accept", "start_verification"],
    wf.RESOLVED: ["classify", "accept", "resolve"],
    wf.CLOSED: ["classify", "accept", "resolve", "close"],
    wf.TRANSFERRED: ["classify", "transfer"],
    wf.GUIDED: ["classify", "guide"],
    wf.FILED: ["classify", "file"],
    wf.WITHDRAWN: ["classify", "accept", "withdraw"],
}
REASONS = {
    "transfer": ("Không thuộc thẩm quyền giải quyết", "Điều 24 Luật Tố cáo / Thông tư 05/2021"),
    "guide": ("Hướng dẫn công dân gửi đơn đến Tòa án nhân dân", "Thông tư 05/2021/TT-TTCP"),
    "file": ("Đơn không đủ điều kiện xử lý", "Điều 28 Thông tư 05/2021/TT-TTCP"),
    "resolve": (
        "Đã ban hành quyết định giải quyết, giữ nguyên quyết định hành chính",
        "Luật Khiếu nại 2011, Điều 31",
    ),
    "withdraw": ("Công dân có đơn xin rút", "Luật Khiếu nại 2011, Điều 10"),
}
HANDLERS = ["ubnd-vi-thanh", "ubnd-ninh-kieu", "ubnd-hoa-luu", "ban-tcd-tp"]


DETAILS = [
    "kéo dài từ đầu năm đến nay",
    "đã gửi ấp nhưng chưa được giải quyết",
    "ảnh hưởng đến khoảng 30 hộ dân",
    "xảy ra nhiều lần vào mùa mưa",
    "gia đình đã cung cấp hình ảnh kèm theo",
    "cán bộ ấp đã ghi nhận",
]


def _content(rng: random.Random, subject: str) -> str:
    """A petition's text: its subject, a place and a detail, in the words citizens use."""
    place = f"ấp {rng.randint(1, 12)}, khu vực {rng.choice(['Đông', 'Tây', 'Nam', 'Bắc'])}"
    return (
        f"Tôi xin trình bày: {subject[0].lower()}{subject[1:]} tại {place}, "
        f"{rng.choice(DETAILS)}. Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết."
    )


def _person(rng: random.Random) -> PetitionerData:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return PetitionerData(
        full_name=name,
        id_number="0" + str(rng.randrange(10**10, 10**11)),
        phone="09" + str(rng.randrange(10**7, 10**8)),
        address="Ấp " + str(rng.randint(1, 9)),
    )


def _actor(agency: Agency):
    User = get_user_model()
    return User.objects.filter(
        memberships__agency=agency, memberships__role__in=["leader", "officer"]
    ).first() or User.objects.get(username="admin")


def _advance(petition: Petition, kind: str, target: str, actor, rng, today) -> None:
    for action in PATHS[target]:
        kind_for = wf.DENUNCIATION if kind == wf.DENUNCIATION else kind
        if action in ("withdraw", "start_verification") and kind_for not in (
            wf.COMPLAINT,
            wf.DENUNCIATION,
        ):
            return
        reason, basis = REASONS.get(action, ("", ""))
        petition.refresh_from_db()
        on = min(petition.received_on + dt.timedelta(days=rng.randint(2, 8)), today)
        petition_move(
            actor=actor,
            petition=petition,
            action=action,
            expected_version=petition.version,
            reason=reason,
            legal_basis=basis,
            on=on,
            target_agency=Agency.objects.get(code="thanh-tra-tp") if action == "transfer" else None,
            **(
                {"kind": kind_for, "eligibility": _all_ticked(kind_for)}
                if action == "classify"
                else {}
            ),
        )


def _all_ticked(kind: str) -> list[str]:
    from danvan.petitions.eligibility import CHECKLISTS

    return [key for key, _label in CHECKLISTS.get(kind, [])]


def load_demo_petitions() -> int:
    if Petition.objects.exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    communes = list(
        AdministrativeUnit.objects.filter(
            scheme="2025", level="commune", parent__code="92"
        ).order_by("code")
    )
    created: list[Petition] = []
    for target, count in PLAN:
        for _ in range(count):
            kind = rng.choice(list(SUBJECTS))
            agency = Agency.objects.get(code=rng.choice(HANDLERS))
            people = [_person(rng) for _ in range(rng.choice([1] * 8 + [2, 6, 12]))]
            petition = petition_receive(
                actor=_actor(agency),
                agency=agency,
                kind=kind,
                unit=rng.choice(communes),
                channel=rng.choice(["reception", "post", "portal", "hotline", "forwarded_front"]),
                subject=(subject := rng.choice(SUBJECTS[kind])),
                content=_content(rng, subject),
                received_on=today - dt.timedelta(days=rng.randint(1, 120)),
                petitioners=people,
                petitioner_count=len(people),
            )
            _advance(petition, kind, target, _actor(agency), rng, today)
            created.append(petition)
    _link_duplicates(created, rng)
    _assign(created)
    return len(created)


def _link_duplicates(created: list[Petition], rng: random.Random) -> None:
    """Eight citizens send the same petition again: received, then linked as duplicates."""
    from danvan.petitions.duplicates import petition_link

    for original in rng.sample([p for p in created if not p.is_sealed], 8):
        original.refresh_from_db()
        people = [
            PetitionerData(full_name=p.full_name, phone=p.phone, id_number=p.id_number)
            for p in original.petitioners.all()
        ]
        again = petition_receive(
            actor=_actor(original.agency),
            agency=original.agency,
            kind=original.kind,
            unit=original.unit,
            channel="post",
            subject=original.subject,
            content=original.content,
            received_on=timezone.localdate(),
            petitioners=people,
        )
        settled = original.status in (wf.RESOLVED, wf.CLOSED, wf.FILED)
        petition_link(
            actor=_actor(original.agency),
            petition=again,
            other=original,
            relation="repeat" if settled else "duplicate",
            expected_version=again.version,
        )


def _assign(created: list[Petition]) -> None:
    vi_thanh = Agency.objects.get(code="ubnd-vi-thanh")
    officer = get_user_model().objects.get(username="canbo.vithanh")
    cases = [p for p in created if p.agency_id == vi_thanh.pk]
    petition_assign(actor=_actor(vi_thanh), petitions=cases, officer=officer)
