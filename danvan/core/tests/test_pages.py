"""The UI shell: login with lockout, staff home, language switch, deadline calculator page."""

import pytest
from django.urls import reverse

from danvan.org.models import Membership
from danvan.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Secret-123"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_signs_in_a_member_and_shows_their_agency(client, org_tree, make_member):
    user = make_member(org_tree.dept_a, Membership.Role.OFFICER)
    response = _login(client, user.username)
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert org_tree.dept_a.name in home.content.decode()


def test_it_refuses_staff_pages_to_citizens(client):
    UserFactory(username="dan", kind="citizen")
    assert _login(client, "dan").status_code == 302
    assert client.get(reverse("core:home")).status_code == 403
    assert client.get(reverse("core:deadline_calculator")).status_code == 403


def test_it_sends_anonymous_visitors_to_the_portal_and_staff_pages_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    response = client.get(reverse("core:deadline_calculator"))
    assert response["Location"].startswith(reverse("login"))


def test_it_explains_a_wrong_password_in_vietnamese(client):
    UserFactory(username="can-bo")
    response = _login(client, "can-bo", "wrong")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_it_locks_the_account_after_repeated_failures(client, settings):
    UserFactory(username="can-bo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "can-bo", "wrong")
    response = _login(client, "can-bo")  # even the right password is refused now
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_switches_the_interface_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in" in page and "Đăng nhập" not in page


class TestDeadlineCalculator:
    url = reverse("core:deadline_calculator")

    @pytest.fixture(autouse=True)
    def _signed_in(self, client, org_tree, make_member):
        client.force_login(make_member(org_tree.dept_a, Membership.Role.OFFICER))

    def test_it_computes_a_rule_deadline_with_its_citation(self, client):
        response = client.get(
            self.url, {"mode": "rule", "start": "2026-02-13", "rule_code": "denunciation.check"}
        )
        body = response.content.decode()
        assert 'datetime="2026-03-03"' in body
        assert "Đ24, Luật Tố cáo 25/2018/QH14" in body

    def test_it_counts_working_days(self, client):
        response = client.get(
            self.url, {"mode": "days", "start": "13/02/2026", "days": "5", "unit": "working"}
        )
        assert 'datetime="2026-02-27"' in response.content.decode()

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            (
                {"mode": "days", "start": "2026-02-30", "days": "5", "unit": "working"},
                "start",
                "Nhập ngày hợp lệ",
            ),
            (
                {"mode": "days", "start": "2026-02-13", "days": "0", "unit": "working"},
                "days",
                "Số ngày phải từ 1 trở lên",
            ),
            (
                {"mode": "rule", "start": "2026-02-13", "rule_code": "no.such.rule"},
                "rule_code",
                "Hãy chọn một lựa chọn hợp lệ",
            ),
            (
                {
                    "mode": "rule",
                    "start": "2026-02-13",
                    "rule_code": "complaint.accept",
                    "extensions": "3",
                },
                "extensions",
                "tối đa",
            ),
        ],
    )
    def test_it_ties_vietnamese_errors_to_the_field(self, client, params, field, message):
        body = client.get(self.url, params).content.decode()
        assert message in body
        assert f'aria-describedby="id_{field}_errors"' in body
        assert f'id="id_{field}_errors"' in body
        assert "Hạn giải quyết" not in body  # no result shown


def test_it_stays_vietnamese_for_a_browser_set_to_english(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
