"""Key journeys in a real Chromium (Debian package) driven by Playwright."""

import pytest

from danvan.org.models import Membership
from danvan.org.tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(org_tree):
    user = UserFactory(username="canbo", full_name="Trần Thị Bình")
    MembershipFactory(user=user, agency=org_tree.dept_a, role=Membership.Role.OFFICER)
    return user


def test_an_officer_signs_in_on_a_phone_and_computes_a_deadline(live_server, page, officer):
    from danvan.core.services import legal_rules_seed

    legal_rules_seed()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("pw-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Xin chào, Trần Thị Bình" in page.content()
    assert "Sở Nội vụ" in page.content()

    page.get_by_role("link", name="Tính thời hạn").click()
    page.get_by_label("Ngày bắt đầu (không tính ngày này)").fill("2026-02-13")
    page.get_by_label("Quy định pháp luật", exact=True).select_option("denunciation.check")
    page.get_by_role("button", name="Tính hạn").click()
    result = page.locator("section.result")
    assert result.locator("time").get_attribute("datetime") == "2026-03-03"
    assert "Luật Tố cáo 25/2018/QH14" in result.inner_text()
    # The page fits a 360 px phone screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_wrong_password_shows_an_error_tied_to_the_fields(live_server, page, officer):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    alert = page.get_by_role("alert")
    assert "mật khẩu chính xác" in alert.inner_text()
    assert page.get_by_label("Mật khẩu").get_attribute("aria-describedby") == "login-errors"
