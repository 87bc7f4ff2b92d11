"""The report as files, read back: DOCX (Nghị định 30/2020 layout), XLSX annex, PDF."""

import io
import os

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from danvan.reports import documents
from danvan.reports.services import report_create
from danvan.reports.tests.conftest import H1

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(dataset, time_machine):
    time_machine.move_to("2026-07-01 09:00 +07:00")
    return report_create(
        actor=dataset.city_leader,
        agency=dataset.tree.city,
        period=H1,
        plan=dataset.plan,
        number="12/BC-UBND",
        recipients="Thường trực Thành ủy\nLưu: VT",
        signing_prefixes="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn An",
    )


def _data(report):
    from danvan.reports.selectors import report_data

    return report_data(report, today=H1.end, cutoff_day=15)


def test_the_docx_has_the_official_layout(report):
    doc = Document(io.BytesIO(documents.build_docx(report, _data(report))))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert doc.styles["Normal"].font.name == "Times New Roman"
    header = doc.tables[0]
    left = "\n".join(row.cells[0].text for row in header.rows)
    right = "\n".join(row.cells[1].text for row in header.rows)
    assert "UBND THÀNH PHỐ" in left and "Số: 12/BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    date_runs = [
        r
        for row in header.rows
        for p in row.cells[1].paragraphs
        for r in p.runs
        if "ngày" in r.text
    ]
    assert date_runs and all(r.italic for r in date_runs)
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    headings = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.")]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV"]
    assert any(t.startswith("1. Lãnh đạo, chỉ đạo") for t in texts)  # sections follow contents
    assert any(t.startswith("2. Tiếp dân, đối thoại") for t in texts)
    body = "\n".join(texts)
    assert "tiếp nhận 5 đơn (2 đơn khiếu nại, 1 đơn tố cáo, 2 đơn kiến nghị, phản ánh)" in body
    assert "Đã thụ lý giải quyết 3 đơn, chuyển 1 đơn, hướng dẫn 0 đơn và lưu 1 đơn" in body
    closing = doc.tables[-1]
    assert "Nơi nhận" in closing.rows[0].cells[0].text
    sign = closing.rows[0].cells[1].text
    assert "TM. ỦY BAN NHÂN DÂN" in sign and "PHÓ CHỦ TỊCH" in sign and "Nguyễn Văn An" in sign
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")


def test_the_docx_tables_carry_the_figures(report):
    doc = Document(io.BytesIO(documents.build_docx(report, _data(report))))
    cells = {
        table.rows[0].cells[0].text: [[c.text for c in row.cells] for row in table.rows[1:]]
        for table in doc.tables[1:-1]
    }
    by_kind = next(rows for head, rows in cells.items() if head == "Loại đơn")
    assert ["Khiếu nại", "2"] in by_kind and ["Tổng cộng", "5"] in by_kind


def test_the_xlsx_annex_has_the_same_tables(report):
    workbook = load_workbook(io.BytesIO(documents.build_xlsx(report, _data(report))))
    assert workbook.sheetnames[0] == "Báo cáo"
    sheets = {workbook[name]["A1"].value: workbook[name] for name in workbook.sheetnames[1:]}
    kinds = sheets["Đơn tiếp nhận theo loại"]
    rows = [[c.value for c in row] for row in kinds.iter_rows(min_row=2)]
    assert rows[0] == ["Loại đơn", "Số đơn"]
    assert ["Khiếu nại", 2] in rows and ["Tổng cộng", 5] in rows
    tasks = sheets["(2) Tiếp dân, đối thoại"]
    assert tasks.max_row == 2 + 2  # title, header, two tasks due in the period
    from danvan.reports.tables import all_tables

    assert len(workbook.sheetnames) == 1 + len(all_tables(_data(report)))


def test_the_pdf_is_made_in_times_new_roman_or_says_what_is_missing(report, monkeypatch):
    missing = documents.pdf_missing_parts()
    if missing and not os.environ.get("CI"):
        pytest.skip(f"this machine lacks {missing}; CI installs them (.ci/run)")
    assert missing == []
    pdf = documents.build_pdf(report, _data(report))
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Liberation-Serif" in f or "TimesNewRoman" in f for f in fonts), fonts
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 12/BC-UBND" in text
    assert "tiếp nhận 5 đơn" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4 in points
    monkeypatch.setattr(documents, "pdf_missing_parts", lambda: ["fonts-liberation2"])
    with pytest.raises(documents.PdfUnavailable, match="fonts-liberation2"):
        documents.build_pdf(report, _data(report))
