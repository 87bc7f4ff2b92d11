"""On a phone-sized screen a citizen sends a petition with a file, an officer accepts it, and the
citizen sees the new status; axe-core finds no serious or critical violation on these pages."""

import pytest

from danvan.org.models import Membership
from danvan.petitions.models import Petition
from danvan.portal.tests.axe import run_axe
from danvan.portal.tests.test_citizen import portal_settings  # noqa: F401 - autouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AXE_RESULTS: dict[str, list] = {}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


def _check_axe(page, name: str) -> None:
    violations = run_axe(page)
    AXE_RESULTS[name] = violations
    print(f"axe {name}: {len(violations)} serious/critical", violations)
    assert violations == [], f"{name}: {violations}"


def _citizen_submits(page, base, pdf_path) -> tuple[str, str]:
    page.goto(f"{base}/portal/send/")
    _check_axe(page, "submit")
    page.locator('input[name="kind"][value="complaint"]').check()
    page.locator('select[name="unit"]').select_option(label="Phường Vị Thanh")
    page.locator('input[name="subject"]').fill("Khiếu nại việc cấp phép xây dựng")
    page.locator('textarea[name="content"]').fill("Ủy ban cấp phép sai ranh giới đất nhà tôi.")
    page.locator('input[name="files"]').set_input_files(str(pdf_path))
    page.locator('input[name="full_name"]').fill("Trần Thị Công Dân")
    page.locator('input[name="phone"]').fill("0912 345 678")
    page.locator('input[name="address"]').fill("Ấp 2, phường Vị Thanh")
    page.locator('input[name="consent"]').check()
    page.locator('form[enctype] button[type="submit"]').click()
    page.wait_for_url("**/portal/send/receipt/")
    _check_axe(page, "receipt")
    code = page.locator("#tracking-code").inner_text()
    return code, page.locator("#tracking-secret").inner_text()


def _officer_accepts(page, base, officer, petition) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill("pw-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/petitions/cases/{petition.pk}/")
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
    page.wait_for_load_state()
    page.get_by_role("button", name="Đăng xuất").click()


def test_it_follows_a_portal_petition_from_phone_to_back_office_and_back(
    live_server, page, org_tree, make_member, tmp_path
):
    base = live_server.url
    pdf_path = tmp_path / "giay-phep.pdf"
    pdf_path.write_bytes(PDF)
    officer = make_member(org_tree.commune_pc, Membership.Role.OFFICER)
    try:
        code, secret = _citizen_submits(page, base, pdf_path)
        petition = Petition.objects.get(tracking_code=code)
        assert petition.channel == "portal" and petition.attachments.count() == 1
        _officer_accepts(page, base, officer, petition)
        assert Petition.objects.get(pk=petition.pk).status == "accepted"
        page.goto(f"{base}/portal/track/")
        _check_axe(page, "track form")
        page.locator('input[name="code"]').fill(code)
        page.locator('input[name="factor"]').fill(secret)
        page.locator('main form button[type="submit"]').click()
        result = page.locator("#track-result")
        result.wait_for()
        assert "Đã thụ lý" in result.inner_text()
        _check_axe(page, "track result")
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
