"""A lead officer reports progress with a file; the leader sees it on the plan tree."""

import pytest
from django.utils import timezone

from danvan.plans.models import Task
from danvan.plans.status import derive_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill("pw-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_an_update_with_a_file_reaches_the_leaders_plan_tree(live_server, page, world, tmp_path):
    evidence = tmp_path / "bien-ban-hoi-nghi.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% bien ban\n%%EOF\n")
    base = live_server.url

    _sign_in(page, base, world.lead_officer)
    page.get_by_role("navigation").get_by_role("link", name="Việc của tôi").click()
    page.get_by_role("link", name="Nhiệm vụ thử").click()
    page.get_by_label("Đã thực hiện").fill("Đã tổ chức hội nghị quán triệt")
    page.get_by_label("Tiến độ (%)").fill("60")
    page.get_by_label("Tệp minh chứng (PDF, hình ảnh, văn bản)").set_input_files(str(evidence))
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.locator("#task-percent").inner_text() == "60%"
    assert page.get_by_role("link", name="bien-ban-hoi-nghi.pdf").is_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    _sign_in(page, base, world.city_leader)
    page.goto(f"{base}{world.plan.get_absolute_url()}")
    row = page.get_by_role("row").filter(has_text="Nhiệm vụ thử")
    assert "60%" in row.inner_text()
    expected = Task.Status(
        derive_status(
            due_on=world.task.due_on,
            completed_on=None,
            percent=60,
            started_on=None,
            today=timezone.localdate(),
        )
    ).label
    assert str(expected) in row.inner_text()  # in progress, or overdue once June 2026 is past
    assert "Tiến độ chung: 60%" in page.content()
