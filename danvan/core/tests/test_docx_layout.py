"""The Nghị định 30/2020 layout, read back with python-docx (no database)."""

import datetime as dt
import re
import zipfile
from io import BytesIO

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from danvan.core.docx_layout import OfficialDocument, date_line

FONT = "Times New Roman"


def _build(**overrides) -> OfficialDocument:
    fields = {
        "parent_body": "Ủy ban nhân dân thành phố Cần Thơ",
        "issuing_body": "Sở Nội vụ",
        "number": "…/BC-SNV",
        "place": "Cần Thơ",
        "date": dt.date(2026, 11, 27),
        "doc_type_title": "Báo cáo",
        "subject": "Kết quả công tác dân vận chính quyền",
    }
    doc = OfficialDocument(**{**fields, **overrides})
    doc.add_paragraph("Thực hiện kế hoạch công tác năm, Sở Nội vụ báo cáo như sau:")
    doc.add_heading("Kết quả đạt được")
    doc.add_heading("Tiếp công dân", level=2)
    doc.add_table(["STT", "Nội dung", "Số lượng"], [[1, "Lượt tiếp", 12], [2, "Đơn", None]])
    doc.add_recipients(["Như trên;", "Thường trực Thành ủy", "Lưu: VT."])
    doc.add_signature(
        prefixes=["TM. Ủy ban nhân dân", "KT. Chủ tịch"],
        position="Phó Chủ tịch",
        signer="Nguyễn Văn Ký",
    )
    return doc


@pytest.fixture(scope="module")
def data() -> bytes:
    return _build().to_bytes()


@pytest.fixture(scope="module")
def document(data):
    return Document(BytesIO(data))


def _cell_paragraphs(table):
    return [p for row in table.rows for cell in row.cells for p in cell.paragraphs]


def _find(paragraphs, text):
    return next(p for p in paragraphs if p.text == text)


def _all_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def test_it_uses_a4_portrait_with_margins_in_the_decreed_ranges(document):
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 1
    assert abs(section.page_height.mm - 297) < 1
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (20, 30)


def test_it_sets_times_new_roman_on_normal_for_every_script(document):
    normal = document.styles["Normal"]
    assert normal.font.name == FONT
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        assert rfonts.get(qn(attr)) == FONT
    assert rfonts.get(qn("w:asciiTheme")) is None
    assert normal.font.size.pt == 14


def test_it_lays_out_the_header_as_a_borderless_two_column_table(document):
    header = document.tables[0]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    left = [p for row in header.rows for p in row.cells[0].paragraphs]
    right = [p for row in header.rows for p in row.cells[1].paragraphs]
    parent = _find(left, "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ")
    assert not _all_bold(parent)
    assert _all_bold(_find(left, "SỞ NỘI VỤ"))
    assert _find(left, "Số: …/BC-SNV").runs[0].font.size.pt == 13
    national = _find(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert _all_bold(national) and 12 <= national.runs[0].font.size.pt <= 13
    motto = _find(right, "Độc lập - Tự do - Hạnh phúc")
    assert _all_bold(motto) and 13 <= motto.runs[0].font.size.pt <= 14


def test_it_writes_the_place_and_date_in_italic(document):
    paragraphs = _cell_paragraphs(document.tables[0])
    dated = _find(paragraphs, "Cần Thơ, ngày 27 tháng 11 năm 2026")
    assert dated.runs[0].italic is True
    assert 13 <= dated.runs[0].font.size.pt <= 14


def test_it_sets_the_column_widths_on_each_cell(document):
    header = document.tables[0]
    for row in header.rows:
        widths = [cell.width.mm for cell in row.cells]
        assert abs(sum(widths) - 165) < 1


def test_it_centres_the_document_type_upper_case_bold_then_the_subject(document):
    texts = [p.text for p in document.paragraphs]
    title = document.paragraphs[texts.index("BÁO CÁO")]
    assert _all_bold(title) and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    subject = document.paragraphs[texts.index("Kết quả công tác dân vận chính quyền")]
    assert _all_bold(subject)


def test_it_formats_body_paragraphs_within_the_ranges(document):
    body = _find(document.paragraphs, "Thực hiện kế hoạch công tác năm, Sở Nội vụ báo cáo như sau:")
    normal = document.styles["Normal"].paragraph_format
    assert body.runs[0].font.size.pt in (13, 14)
    assert body.paragraph_format.first_line_indent.mm >= 10
    assert normal.space_after.pt >= 6
    assert 1 <= normal.line_spacing <= 1.5


def test_it_numbers_headings_by_level(document):
    texts = [p.text for p in document.paragraphs]
    assert "I. Kết quả đạt được" in texts
    assert "1. Tiếp công dân" in texts


def test_it_restarts_lower_heading_numbers_under_a_new_heading():
    doc = _build()
    assert doc.add_heading("Phương hướng") == "II."
    assert doc.add_heading("Nhiệm vụ", level=2) == "1."
    assert doc.add_heading("Điểm một", level=3) == "a)"
    assert doc.add_heading("Điểm hai", level=3) == "b)"


def test_it_adds_a_bordered_table_with_a_repeating_bold_header(document):
    table = document.tables[1]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung", "Số lượng"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert _all_bold(table.rows[0].cells[0].paragraphs[0])
    assert [c.text for c in table.rows[2].cells] == ["2", "Đơn", ""]


def test_it_puts_recipients_left_and_the_signature_right(document):
    closing = document.tables[-1]
    left, right = closing.rows[0].cells
    lines = [p.text for p in left.paragraphs]
    assert lines == ["Nơi nhận:", "- Như trên;", "- Thường trực Thành ủy;", "- Lưu: VT."]
    heading = left.paragraphs[0].runs[0]
    assert heading.bold and heading.italic
    signature = [p.text for p in right.paragraphs if p.text]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Ký"]
    assert all(_all_bold(p) for p in right.paragraphs if p.text)


def test_it_numbers_pages_from_page_two_top_centre(document, data):
    section = document.sections[0]
    assert section.different_first_page_header_footer is True
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 11, 27), "Cần Thơ, ngày 27 tháng 11 năm 2026"),
        (dt.date(2026, 2, 5), "Cần Thơ, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Cần Thơ, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_it_pads_days_below_ten_and_months_one_and_two(date, expected):
    assert date_line("Cần Thơ", date) == expected


def test_it_leaves_out_empty_parent_body_and_number():
    doc = _build(parent_body="", number="")
    header = Document(BytesIO(doc.to_bytes())).tables[0]
    left = [p.text for row in header.rows for p in row.cells[0].paragraphs if p.text]
    assert left == ["SỞ NỘI VỤ"]


def test_it_refuses_content_after_the_document_is_finished():
    doc = _build()
    doc.to_bytes()
    with pytest.raises(RuntimeError):
        doc.add_paragraph("quá muộn")


def test_it_adds_no_legal_number_of_its_own(data):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )
    assert not re.search(r"\d+/\d{4}/", xml)
    assert "python-docx" not in xml
