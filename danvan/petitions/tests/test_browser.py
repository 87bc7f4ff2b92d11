"""A clerk records a walk-in petition; an officer accepts it; the deadline shows its citation."""

import pytest

from danvan.petitions.models import Petition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill("pw-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def test_walk_in_petition_is_accepted_and_shows_its_deadline(live_server, page, desk):
    base = live_server.url
    _sign_in(page, base, desk.clerk)
    page.goto(f"{base}/petitions/new/")
    page.get_by_label("Cơ quan xử lý").select_option(str(desk.agency.pk))
    page.get_by_label("Nguồn đơn").select_option("reception")
    page.get_by_label("Loại đơn (theo nội dung, không theo tiêu đề)").select_option("complaint")
    page.get_by_label("Tóm tắt nội dung").fill("Khiếu nại quyết định thu hồi đất")
    page.get_by_label("Nội dung", exact=True).fill("Ông Dân không đồng ý mức bồi thường.")
    page.get_by_label("Họ và tên").fill("Phạm Văn Dân")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url("**/petitions/cases/*/")
    code = Petition.objects.get().tracking_code
    assert code in page.content()
    page.get_by_role("button", name="Đăng xuất").click()

    _sign_in(page, base, desk.officer)
    page.get_by_role("navigation").get_by_role("link", name="Đơn thư").click()
    page.get_by_role("link", name=code).click()
    page.get_by_label("Bước", exact=True).select_option("classify")
    page.get_by_label("Loại", exact=True).select_option("complaint")
    for label in (
        "Viết bằng tiếng Việt",
        "Có ghi ngày",
        "Nêu rõ quyết định",
        "Nêu nội dung, lý do",
        "Trong thời hiệu",
    ):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Ghi nhận bước xử lý").click()
    page.get_by_label("Bước", exact=True).select_option("accept")
    page.get_by_role("button", name="Ghi nhận bước xử lý").click()
    row = page.locator("#deadline-resolve")
    assert "Đ28, Luật Khiếu nại 02/2011/QH13" in row.inner_text()
    assert "còn" in row.inner_text() or "quá hạn" in row.inner_text()
