"""A leader opens the dashboard on a phone and follows a chart bar to the records it counts."""

import pytest

from danvan.reports.tests.conftest import H1, Dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_follows_a_bar_to_its_records_on_a_phone(live_server, page, org_tree, make_member):
    from urllib.parse import urlencode

    dataset = Dataset(org_tree, make_member)
    user = dataset.city_leader
    user.set_password("pw-Secret-123")
    user.save()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill("pw-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/reports/?{urlencode(H1.as_params())}")
    assert "Bảng điều hành của lãnh đạo" in page.content()
    # Nothing scrolls sideways at 360 px: wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Khiếu nại: 2").click()
    page.wait_for_url("**/reports/records/**")
    assert "2 hồ sơ" in page.content()
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert all("Khiếu nại" in rows.nth(i).inner_text() for i in range(2))
