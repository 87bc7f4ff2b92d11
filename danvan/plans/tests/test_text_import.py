"""parse_plan_text without a database: the real 2023 seed article, then one variant per rule.

Every expected value for the seed was copied by hand from the article, not from the parser.
"""

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from danvan.plans.text_import import MAX_CHARS, PlanTextError, parse_plan_text

SEED = (Path(__file__).parent.parent / "fixtures" / "seed_2023_plan.txt").read_text("utf-8")
D = dt.date


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English; the Vietnamese catalogue must not change these tests.
    with translation.override("en"):
        yield


def _plan(body: str):
    return parse_plan_text(f"Kế hoạch năm 2024\nGồm: (1) Việc một; (2) Việc hai.\n{body}")


def test_it_reads_the_seed_header_and_purpose():
    plan = parse_plan_text(SEED)
    assert plan.title == "Kế hoạch thực hiện công tác dân vận chính quyền năm 2023"
    assert plan.year == 2023
    assert plan.issued_on == D(2023, 12, 6)
    assert plan.purpose.startswith("Mục đích của kế hoạch hướng tới tiếp tục đổi mới nội dung")
    assert plan.purpose.endswith("tạo sự đồng thuận và tham gia của người dân.")


def test_it_reads_the_seven_seed_contents():
    contents = parse_plan_text(SEED).contents
    assert [item.number for item in contents] == [1, 2, 3, 4, 5, 6, 7]
    assert contents[0].title == (
        "Tăng cường sự lãnh đạo của cấp ủy, chính quyền đối với công tác dân vận chính quyền"
    )
    assert contents[6].title == (
        "Tăng cường công tác kiểm tra, thanh tra công vụ; kiểm tra, giám sát việc triển khai, "
        "thực hiện công tác dân vận của các cơ quan Nhà nước"
    )
    # Item (6) must not be confused with item (5), whose text it repeats almost word for word.
    assert contents[5].title.startswith("Công tác phối hợp giữa cơ quan tư pháp")


def test_it_reads_the_six_seed_legal_bases_field_by_field():
    bases = parse_plan_text(SEED).legal_bases
    assert [(c.doc_type, c.number, c.issued_on, c.issuer) for c in bases] == [
        ("ket_luan", "114-KL/TW", D(2015, 7, 14), "Ban Bí thư Trung ương Đảng"),
        ("quyet_dinh", "23-QĐ/TW", D(2021, 7, 30), "Bộ Chính trị"),
        ("chi_thi", "33/CT-TTg", D(2021, 11, 26), "Thủ tướng Chính phủ"),
        ("quyet_dinh", "939 QĐ/TU", D(2022, 1, 28), "BTV Tỉnh ủy"),
        (
            "chuong_trinh_phoi_hop",
            "85-CTr/BDVTU-BCSĐUBND",
            D(2022, 4, 26),
            "Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh",
        ),
        ("chuong_trinh", "128-CTr/BDVTU", D(2023, 2, 1), "Ban Dân vận Tỉnh ủy"),
    ]
    assert bases[3].raw == "Quyết định số 939 QĐ/TU, ngày 28/01/2022 của BTV Tỉnh ủy"


def test_it_has_no_warnings_for_the_seed():
    assert parse_plan_text(SEED).warnings == []


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_it_reads_crlf_non_breaking_spaces_and_curly_quotes_like_the_seed(line_end):
    messy = SEED.replace("\n", line_end).replace("số ", "số\u00a0").replace(" (", "\u202f(")
    assert parse_plan_text(messy) == parse_plan_text(SEED)
    assert '"Phát huy nội lực' in parse_plan_text(messy).purpose


def test_it_gives_nfc_output_for_decomposed_input():
    plan = parse_plan_text(unicodedata.normalize("NFD", SEED))
    assert plan == parse_plan_text(SEED)
    assert unicodedata.is_normalized("NFC", plan.legal_bases[4].issuer)
    assert plan.legal_bases[4].number == "85-CTr/BDVTU-BCSĐUBND"


@pytest.mark.parametrize("marker", ["1.", "1)", "I."])
def test_it_reads_one_item_per_line(marker):
    second, third = {"1.": ("2.", "3."), "1)": ("2)", "3)"), "I.": ("II.", "III.")}[marker]
    text = f"Kế hoạch năm 2024\n{marker} Việc một;\n{second} Việc hai\n{third} Việc ba."
    contents = parse_plan_text(text).contents
    assert [(c.number, c.title) for c in contents] == [
        (1, "Việc một"),
        (2, "Việc hai"),
        (3, "Việc ba"),
    ]


def test_it_follows_the_first_list_and_ignores_nested_ones():
    text = (
        "I. MỤC ĐÍCH\n1. Mục đích\nNâng cao chất lượng.\n2. Yêu cầu\nII. NỘI DUNG\n1. Tuyên truyền"
    )
    plan = parse_plan_text(text)
    assert [(c.number, c.title) for c in plan.contents] == [(1, "MỤC ĐÍCH"), (2, "NỘI DUNG")]
    assert plan.purpose == "Nâng cao chất lượng."


def test_it_keeps_a_marker_that_is_not_the_next_number_as_text():
    text = "Gồm: (1) Một theo khoản (2) Điều 5; (2) Hai; (6) sáu; (3) Ba."
    contents = parse_plan_text(text).contents
    assert [c.title for c in contents] == ["Một theo khoản (2) Điều 5", "Hai; (6) sáu", "Ba"]


@pytest.mark.parametrize("text", ["Gồm: (1) Một; (2) Hai; (4) Bốn.", "1. Một\n2. Hai\n4. Bốn"])
def test_it_refuses_a_gap_in_the_numbering(text):
    with pytest.raises(PlanTextError, match=r"jump from \(2\) to \(4\)"):
        parse_plan_text(text)


def test_it_warns_when_the_announced_count_differs():
    plan = parse_plan_text("Kế hoạch gồm 3 nội dung: (1) Một; (2) Hai.")
    assert plan.warnings[0] == "The text announces 3 contents but 2 were found."


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        (
            "Kết luận 114-KL/TW ngày 14/7/2015 của Ban Bí thư",
            ("ket_luan", "114-KL/TW", D(2015, 7, 14), "Ban Bí thư"),
        ),
        (
            "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
            ("nghi_dinh", "30/2020/NĐ-CP", D(2020, 3, 5), "Chính phủ"),
        ),
        ("Luật Tố cáo số 25/2018/QH14", ("luat", "25/2018/QH14", None, "")),
        (
            "Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tăng cường",
            ("chi_thi", "33/CT-TTg", D(2021, 11, 26), "Thủ tướng Chính phủ"),
        ),
        (
            "QUYẾT ĐỊNH SỐ 12 / QĐ – UBND ngày 3 tháng 4 năm 2023 của UBND tỉnh",
            ("quyet_dinh", "12/QĐ-UBND", D(2023, 4, 3), "UBND tỉnh"),
        ),
        ("Đề án số 05-ĐA/TU của Tỉnh ủy", ("other", "05-ĐA/TU", None, "Tỉnh ủy")),
    ],
)
def test_it_reads_one_citation(citation, expected):
    plan = _plan(f"Căn cứ {citation}.")
    assert [(c.doc_type, c.number, c.issued_on, c.issuer) for c in plan.legal_bases] == [expected]
    assert plan.legal_bases[0].raw == citation
    assert plan.warnings == []


def test_it_warns_about_an_invalid_date_and_leaves_it_empty():
    plan = _plan("Thực hiện Quyết định số 12/QĐ-UBND ngày 31/2/2023 của UBND tỉnh.")
    assert plan.legal_bases[0].issued_on is None
    assert plan.legal_bases[0].issuer == "UBND tỉnh"
    assert plan.warnings == [
        'Could not read the date of "Quyết định số 12/QĐ-UBND ngày 31/2/2023 của UBND tỉnh"; '
        "enter it by hand."
    ]


def test_it_splits_citations_listed_with_commas_and_counts_each_once():
    plan = _plan(
        "Thực hiện Kết luận số 114-KL/TW, Quyết định số 23-QĐ/TW và Kết luận số 114 - KL/TW."
    )
    assert [c.number for c in plan.legal_bases] == ["114-KL/TW", "23-QĐ/TW"]


def test_it_ignores_type_names_that_are_not_followed_by_a_number():
    plan = _plan("Kế hoạch ban hành nhằm thực hiện Nghị quyết Đại hội Đảng các cấp.")
    assert plan.legal_bases == []
    assert plan.warnings == ["No legal bases were found; add them by hand."]


def test_it_takes_the_year_from_the_date_line_when_the_title_has_none():
    plan = parse_plan_text("Chủ nhật, 7/1/2024\nKế hoạch dân vận\n(1) Một; (2) Hai.")
    assert (plan.title, plan.year, plan.issued_on) == ("Kế hoạch dân vận", 2024, D(2024, 1, 7))


def test_it_prefers_a_title_starting_with_ke_hoach_over_a_header_line():
    plan = parse_plan_text("UBND TỈNH HẬU GIANG\nKẾ HOẠCH dân vận năm 2024\n(1) Một; (2) Hai.")
    assert (plan.title, plan.year) == ("KẾ HOẠCH dân vận năm 2024", 2024)


def test_it_warns_about_an_impossible_date_line():
    plan = parse_plan_text("Thứ Sáu, 30/2/2024\nKế hoạch năm 2024\n(1) Một; (2) Hai.")
    assert (plan.issued_on, plan.year) == (None, 2024)
    assert plan.warnings[0] == 'Could not read the date "Thứ Sáu, 30/2/2024".'


def test_it_refuses_text_without_an_enumeration():
    with pytest.raises(PlanTextError, match="No numbered contents"):
        parse_plan_text("Kế hoạch năm 2023\nChỉ có một đoạn văn, (1) mục duy nhất.")


@pytest.mark.parametrize("text", ["", " \r\n\u00a0\t"])
def test_it_refuses_empty_text(text):
    with pytest.raises(PlanTextError, match="empty"):
        parse_plan_text(text)


def test_it_refuses_text_over_the_cap():
    with pytest.raises(PlanTextError, match="too long"):
        parse_plan_text("(1) a; (2) b " + "x" * MAX_CHARS)


# The project's autouse `_media_root` fixture is function-scoped but irrelevant here.
properties = hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Pieces of real plans, so the generator reaches the list and citation code, not only the errors.
FRAGMENTS = [
    "(1) ",
    "(2) ",
    "(3)",
    "; ",
    ". ",
    "\n",
    "1. ",
    "II. ",
    "Quyết định số ",
    "Luật ",
    "12/QĐ-UBND",
    " ngày ",
    "31/2/2023",
    "6/12/2023",
    " của ",
    " về ",
    "Mục đích",
    "số ",
]


@properties
@given(st.text() | st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5)).map("".join))
def test_it_raises_only_plan_text_error_on_arbitrary_text(text):
    try:
        plan = parse_plan_text(text)
    except PlanTextError:
        return
    assert [item.number for item in plan.contents] == list(range(1, len(plan.contents) + 1))
