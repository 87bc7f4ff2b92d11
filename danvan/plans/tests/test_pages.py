import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.plans.models import Plan, ProgressUpdate
from danvan.plans.services import content_add, task_create

pytestmark = pytest.mark.django_db


def _fill(world, per_content):
    for n in range(2, 8):
        if not world.plan.contents.filter(number=n).exists():
            content_add(actor=None, plan=world.plan, number=n, title=f"Nội dung {n}")
    contents = list(world.plan.contents.order_by("number"))
    for content in contents:
        for i in range(per_content):
            task_create(
                actor=None,
                plan=world.plan,
                content=content,
                title=f"Việc {i}",
                lead_agency=world.tree.dept_a if i % 2 else world.tree.dept_b,
                due_on=dt.date(2026, 1 + i % 12, 10),
                coordinating=[world.tree.city],
            )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_plan_tree_uses_the_same_number_of_queries_for_2_or_200_tasks_per_content(
    client, world, django_db_blocker
):
    client.force_login(world.city_leader)
    url = world.plan.get_absolute_url()
    _fill(world, 2)
    small, _ = _count_queries(client, url)
    _fill(world, 198)  # now 200 per content (1,400 tasks) … content 1 has one more
    large, response = _count_queries(client, url)
    assert response.content.decode().count('class="status status-') == 7 * 200 + 1
    assert small == large, f"{small} queries for 7×2 tasks, {large} for 7×200"


def test_my_tasks_shows_overdue_and_reviews_to_do(client, world):
    from danvan.plans.progress import progress_post

    progress_post(
        actor=world.coord_officer,
        task=world.task,
        agency=world.tree.dept_b,
        text="Phối hợp",
        percent=30,
    )
    client.force_login(world.lead_officer)
    body = client.get(reverse("plans:my_tasks")).content.decode()
    assert "Nhiệm vụ thử" in body
    assert "Chờ tôi duyệt (1)" in body


def test_posting_an_update_with_a_file_through_the_page(client, world):
    client.force_login(world.lead_officer)
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        world.task.get_absolute_url(),
        {
            "agency": world.tree.dept_a.pk,
            "text": "Đã tổ chức hội nghị",
            "percent": 70,
            "files": [pdf],
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    evidence = update.evidence.get()
    download = client.get(reverse("plans:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.outsider)
    assert client.get(reverse("plans:evidence_download", args=[evidence.pk])).status_code == 404


def test_bad_input_on_the_update_form_is_explained_in_vietnamese(client, world):
    client.force_login(world.lead_officer)
    response = client.post(
        world.task.get_absolute_url(),
        {
            "agency": world.tree.dept_a.pk,
            "text": "",
            "percent": 150,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_percent_errors"' in body
    assert "nhỏ hơn hoặc bằng với 100" in body
    assert not ProgressUpdate.objects.exists()


def test_the_text_import_previews_then_saves_a_draft(client, world):
    from danvan.plans.demo import SEED_TEXT

    client.force_login(world.issuer_officer)
    url = reverse("plans:plan_text_import")
    text = SEED_TEXT.read_text(encoding="utf-8")
    data = {"issuing_agency": world.tree.city.pk, "text": text}
    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200
    assert "114-KL/TW" in preview.content.decode()
    assert Plan.objects.count() == 1  # nothing saved by the preview
    saved = client.post(url, {**data, "confirm": "1"})
    plan = Plan.objects.exclude(pk=world.plan.pk).get()
    assert saved.status_code == 302 and saved["Location"] == plan.get_absolute_url()
    assert (plan.contents.count(), plan.legal_bases.count(), plan.status) == (7, 6, "draft")


def test_the_text_import_refuses_text_without_contents(client, world):
    client.force_login(world.issuer_officer)
    response = client.post(
        reverse("plans:plan_text_import"),
        {
            "issuing_agency": world.tree.city.pk,
            "text": "Không có nội dung đánh số.",
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert 'id="id_text_errors"' in response.content.decode()
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("user_attr", "can_edit", "can_implement"),
    [
        ("issuer_officer", True, False),
        ("lead_officer", False, True),
        ("coord_officer", False, True),
        ("lead_viewer", False, False),
    ],
)
def test_the_plan_page_offers_only_the_actions_the_user_may_take(
    client, world, user_attr, can_edit, can_implement
):
    client.force_login(getattr(world, user_attr))
    body = client.get(world.plan.get_absolute_url()).content.decode()
    assert (reverse("plans:plan_edit", args=[world.plan.pk]) in body) is can_edit
    assert (reverse("plans:task_create", args=[world.plan.pk]) in body) is can_edit
    assert (reverse("plans:plan_implement", args=[world.plan.pk]) in body) is can_implement


def test_the_signed_scan_is_attached_and_served_only_in_scope(client, world):
    from danvan.core.models import AuditEvent

    client.force_login(world.issuer_officer)
    scan = SimpleUploadedFile("ke-hoach-ky.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(reverse("plans:attachment_add", args=[world.plan.pk]), {"file": scan})
    assert response.status_code == 302
    attachment = world.plan.attachments.get()
    assert AuditEvent.objects.filter(action="plans.attachment_add").count() == 1
    url = reverse("plans:attachment_download", args=[attachment.pk])
    assert "ke-hoach-ky.pdf" in client.get(world.plan.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.lead_officer)  # sees the plan, may not change it
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert (
        client.post(
            reverse("plans:attachment_add", args=[world.plan.pk]), {"file": fake}
        ).status_code
        == 403
    )


def test_reminders_show_up_in_the_notifications_page_and_are_then_read(client, world):
    from danvan.core.notifications import notify

    notify(
        recipients=[world.lead_officer],
        kind="task.due_soon",
        title="Nhiệm vụ sắp đến hạn",
        url=world.task.get_absolute_url(),
        obj=world.task,
        email=False,
    )
    client.force_login(world.lead_officer)
    home = client.get(reverse("core:home")).content.decode()
    assert "Thông báo" in home and '<span class="badge warn">1' in home
    page = client.get(reverse("core:notifications")).content.decode()
    assert "Nhiệm vụ sắp đến hạn" in page
    again = client.get(reverse("core:home")).content.decode()
    assert '<span class="badge warn">1' not in again


def test_my_tasks_uses_the_same_number_of_queries_for_few_or_many_tasks(client, world):
    client.force_login(world.lead_officer)
    _fill(world, 2)
    small, _ = _count_queries(client, reverse("plans:my_tasks"))
    _fill(world, 60)
    large, response = _count_queries(client, reverse("plans:my_tasks"))
    assert response.content.decode().count("/plans/tasks/") > 200
    assert small == large, f"{small} queries for 14 tasks, {large} for 434"
