"""Demo plans for `manage.py load_demo`: the seed's 2023 plan (through the text importer) and a
current-year plan with a commune's implementing plan, with tasks in every status. Idempotent.

Dates of the current-year plan are relative to today, so the demo always shows tasks overdue,
due soon, in progress, not started and done. Progress is posted through the services; for the
2023 plan the updates are then back-dated (demo data only) so that some were done late.
"""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from danvan.org.models import Agency
from danvan.plans.models import Plan, ProgressUpdate, Task
from danvan.plans.progress import implementing_plan_create, progress_post, progress_review
from danvan.plans.services import plan_import_text, plan_set_status, task_create

SEED_TEXT = Path(__file__).parent / "fixtures" / "seed_2023_plan.txt"
SEED_NUMBER = "KH-2023-DVCQ"

# content number → [(title, lead code, coordinating codes, month, day, outcome)]
# outcome: "on_time", "late", "open" (never finished), or a percent for the current plan.
TASKS_2023 = {
    1: [
        (
            "Quán triệt Quy chế công tác dân vận đến cán bộ, công chức",
            "so-noi-vu",
            ["ban-tgdv"],
            3,
            31,
            "on_time",
        )
    ],
    2: [
        (
            "Rà soát, đơn giản hóa thủ tục hành chính liên quan đến người dân",
            "so-tu-phap",
            ["so-noi-vu"],
            6,
            30,
            "late",
        ),
        (
            "Kiểm tra kỷ luật, kỷ cương hành chính tại các cơ quan, đơn vị",
            "so-noi-vu",
            ["thanh-tra-tp"],
            9,
            30,
            "on_time",
        ),
    ],
    3: [
        (
            "Hướng dẫn thực hiện Luật Thực hiện dân chủ ở cơ sở",
            "so-noi-vu",
            ["mttq-tp"],
            7,
            31,
            "on_time",
        )
    ],
    4: [
        (
            "Tổ chức tiếp công dân định kỳ và đột xuất",
            "ban-tcd-tp",
            ["thanh-tra-tp"],
            12,
            15,
            "on_time",
        ),
        (
            "Đối thoại trực tiếp với Nhân dân về bồi thường, tái định cư",
            "ubnd-tp",
            ["mttq-tp", "so-nnmt"],
            10,
            31,
            "open",
        ),
    ],
    5: [
        (
            "Phối hợp với Mặt trận giám sát việc giải quyết kiến nghị của cử tri",
            "mttq-tp",
            ["ubnd-tp"],
            11,
            30,
            "late",
        )
    ],
    6: [
        (
            "Phối hợp tuyên truyền pháp luật trong lực lượng vũ trang",
            "cong-an-tp",
            ["bchqs-tp", "mttq-tp"],
            8,
            31,
            "on_time",
        )
    ],
    7: [
        (
            "Kiểm tra việc thực hiện công tác dân vận chính quyền tại cơ sở",
            "thanh-tra-tp",
            ["ban-tgdv"],
            12,
            20,
            "late",
        )
    ],
}

# For the current-year plan: (content, title, lead, coordinating, days from today, percent)
TASKS_NOW = [
    (
        1,
        "Ban hành kế hoạch tuyên truyền công tác dân vận chính quyền",
        "so-noi-vu",
        ["ban-tgdv"],
        -40,
        100,
    ),
    (
        2,
        "Khảo sát mức độ hài lòng của người dân đối với dịch vụ hành chính công",
        "so-noi-vu",
        ["ubnd-vi-thanh", "ubnd-ninh-kieu"],
        20,
        40,
    ),
    (2, "Công khai kết quả xử lý vi phạm kỷ luật, kỷ cương", "thanh-tra-tp", [], -10, 60),
    (
        3,
        "Tổ chức lấy ý kiến Nhân dân về dự thảo quy hoạch sử dụng đất",
        "so-nnmt",
        ["ubnd-vi-thanh", "mttq-tp"],
        5,
        20,
    ),
    (
        4,
        "Tổ chức hội nghị đối thoại giữa chính quyền với Nhân dân",
        "ubnd-vi-thanh",
        ["mttq-vi-thanh"],
        3,
        0,
    ),
    (
        4,
        "Giải quyết dứt điểm các vụ việc khiếu nại đông người",
        "thanh-tra-tp",
        ["ban-tcd-tp", "ubnd-vi-thanh"],
        45,
        0,
    ),
    (
        5,
        "Trả lời kiến nghị của Mặt trận và các đoàn thể",
        "ubnd-tp",
        ["mttq-tp", "hnd-tp", "hlhpn-tp"],
        -5,
        0,
    ),
    (
        6,
        "Phối hợp giữ gìn an ninh trật tự ở cơ sở",
        "cong-an-tp",
        ["bchqs-tp", "thanh-doan"],
        60,
        30,
    ),
    (
        7,
        "Kiểm tra công tác dân vận tại Phường Vị Thanh",
        "thanh-tra-tp",
        ["ban-tgdv", "ubnd-vi-thanh"],
        90,
        0,
    ),
]


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def _member(code: str):
    """A demo user working in the agency (leader or officer), else the demo superuser."""
    User = get_user_model()
    user = (
        User.objects.filter(
            memberships__agency__code=code, memberships__role__in=["leader", "officer"]
        )
        .order_by("memberships__role")
        .first()
    )
    return user or User.objects.get(username="admin")


def _clamp(day: dt.date, plan: Plan) -> dt.date:
    return min(max(day, plan.period_start), plan.period_end)


def load_2023_plan(admin) -> Plan:
    plan = Plan.objects.filter(number=SEED_NUMBER).first()
    if plan is not None:
        return plan
    plan = plan_import_text(
        actor=admin, issuing_agency=_agency("ubnd-tp"), text=SEED_TEXT.read_text(encoding="utf-8")
    )
    Plan.objects.filter(pk=plan.pk).update(number=SEED_NUMBER)
    plan.refresh_from_db()
    plan = plan_set_status(actor=admin, plan=plan, status=Plan.Status.ISSUED)
    contents = {c.number: c for c in plan.contents.all()}
    for number, tasks in TASKS_2023.items():
        for title, lead, coordinating, month, day, outcome in tasks:
            due = dt.date(2023, month, day)
            task = task_create(
                actor=admin,
                plan=plan,
                content=contents[number],
                title=title,
                lead_agency=_agency(lead),
                due_on=due,
                coordinating=[_agency(c) for c in coordinating],
            )
            percent = 60 if outcome == "open" else 100
            update = progress_post(
                actor=_member(lead),
                task=task,
                agency=_agency(lead),
                text="Đã triển khai theo kế hoạch.",
                percent=percent,
            )
            shift = {"on_time": -3, "late": 12, "open": -20}[outcome]
            _backdate(update, due + dt.timedelta(days=shift), done=percent == 100)
    return plan


def _backdate(update: ProgressUpdate, day: dt.date, *, done: bool) -> None:
    """Demo only: move a posted update and the task's dates into the past."""
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when, reviewed_at=when)
    Task.objects.filter(pk=update.task_id).update(
        started_on=day, completed_on=day if done else None
    )


def load_current_plan(admin) -> Plan:
    today = timezone.localdate()
    title = f"Kế hoạch thực hiện công tác dân vận chính quyền năm {today.year}"
    plan = Plan.objects.filter(title=title, issuing_agency__code="ubnd-tp").first()
    if plan is not None:
        return plan
    source = Plan.objects.get(number=SEED_NUMBER)
    from danvan.plans.services import content_add, plan_create

    plan = plan_create(
        actor=admin,
        issuing_agency=_agency("ubnd-tp"),
        title=title,
        number=f"DEMO/{today.year}/KH-UBND",
        year=today.year,
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        legal_bases=source.legal_bases.all(),
        purpose=source.purpose,
    )
    contents = {
        c.number: content_add(actor=admin, plan=plan, number=c.number, title=c.title)
        for c in source.contents.all()
    }
    plan = plan_set_status(actor=admin, plan=plan, status=Plan.Status.ISSUED)
    for number, title_, lead, coordinating, days, percent in TASKS_NOW:
        task = task_create(
            actor=admin,
            plan=plan,
            content=contents[number],
            title=title_,
            lead_agency=_agency(lead),
            due_on=_clamp(today + dt.timedelta(days=days), plan),
            coordinating=[_agency(c) for c in coordinating],
        )
        if percent:
            progress_post(
                actor=_member(lead),
                task=task,
                agency=_agency(lead),
                text="Đang triển khai, đã hoàn thành một phần.",
                percent=percent,
            )
    _coordinating_report(plan)
    _monthly_reports(admin, plan, contents[4], today)
    child = implementing_plan_create(
        actor=_member("ubnd-vi-thanh"),
        parent_plan=plan,
        agency=_agency("ubnd-vi-thanh"),
        number=f"DEMO/{today.year}/KH-UBND-VT",
    )
    plan_set_status(actor=_member("ubnd-vi-thanh"), plan=child, status=Plan.Status.ISSUED)
    return plan


def _monthly_reports(admin, plan: Plan, content, today: dt.date) -> None:
    """A monthly report task whose past occurrences were all sent two days early."""
    template = task_create(
        actor=admin,
        plan=plan,
        content=content,
        title="Báo cáo kết quả tiếp công dân, xử lý đơn thư",
        lead_agency=_agency("ban-tcd-tp"),
        due_on=plan.period_end,
        recurrence="monthly",
        recurrence_day=20,
    )
    for occurrence in template.occurrences.filter(due_on__lt=today).order_by("due_on"):
        update = progress_post(
            actor=admin,
            task=occurrence,
            agency=_agency("ban-tcd-tp"),
            text="Đã gửi báo cáo tháng.",
            percent=100,
        )
        _backdate(update, occurrence.due_on - dt.timedelta(days=2), done=True)


def _coordinating_report(plan: Plan) -> None:
    """One report from a coordinating agency awaiting the lead's review, one returned."""
    task = plan.tasks.get(title__startswith="Khảo sát mức độ hài lòng")
    progress_post(
        actor=_member("ubnd-vi-thanh"),
        task=task,
        agency=_agency("ubnd-vi-thanh"),
        text="Phường đã phát 300 phiếu khảo sát.",
        percent=50,
    )
    task = plan.tasks.get(title__startswith="Tổ chức lấy ý kiến")
    update = progress_post(
        actor=_member("ubnd-vi-thanh"),
        task=task,
        agency=_agency("ubnd-vi-thanh"),
        text="Đã niêm yết dự thảo.",
        percent=30,
    )
    progress_review(
        actor=_member("so-nnmt"),
        update=update,
        accept=False,
        reason="Bổ sung biên bản niêm yết và ảnh chụp.",
    )


def load_demo_plans() -> None:
    admin = get_user_model().objects.get(username="admin")
    load_2023_plan(admin)
    load_current_plan(admin)
