"""The streaming XLSX reader against openpyxl's own reading, and the import on top of it."""

import datetime as dt
import tracemalloc
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from danvan.plans.models import Task
from danvan.plans.tests.test_xlsx import errors_at, officer, plan, row  # noqa: F401 — fixtures
from danvan.plans.xlsx import DATA_SHEET, TEMPLATE_COLUMNS
from danvan.plans.xlsx_import import import_tasks
from danvan.plans.xlsx_reader import MAIN, read_rows

SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>{rows}</sheetData></worksheet>"
)
PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>",
}


SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)

SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def raw_xlsx(rows_xml: str, sheet: str = SHEET, strings: list[str] | None = None) -> bytes:
    """A minimal workbook whose one sheet holds `rows_xml` as written; `strings`, if given,
    is its shared-strings table (openpyxl itself writes only inline strings)."""
    parts = dict(PARTS)
    if strings is not None:
        items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
        rels = parts["xl/_rels/workbook.xml.rels"]
        parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", SHARED_REL)
        types = parts["[Content_Types].xml"]
        parts["[Content_Types].xml"] = types.replace("</Types>", SHARED_TYPE)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet.format(rows=rows_xml))
    return buffer.getvalue()


def inline_row(number: int, values, strings: list[str] | None = None) -> str:
    """A row's XML: text inline, or as indexes into `strings` (appended to) when given."""
    cells = []
    for i, value in enumerate(values):
        ref = f"{chr(65 + i)}{number}"
        if value is None:
            continue
        if not isinstance(value, str):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif strings is None:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        else:
            strings.append(value)
            cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def ours(data: bytes) -> dict[int, tuple]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        rows = {number: _trim(values) for number, values in read_rows(archive, prefer=DATA_SHEET)}
    return {number: values for number, values in rows.items() if values}


def openpyxls(data: bytes) -> dict[int, tuple]:
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = {n: _trim(v) for n, v in enumerate(sheet.iter_rows(values_only=True), start=1)}
    return {n: v for n, v in rows.items() if v}


def _trim(values) -> tuple:
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _openpyxl_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    workbook.create_sheet("Ghi chú").append(["not this sheet"])
    sheet.append(["Nội dung", "Mã", "ĐẤT & đai <b>", "  khoảng trắng  ", "x"])
    sheet.append([1, "1.10", 2.5, True, dt.datetime(2026, 3, 31), None, -7, "=A1"])
    sheet.append([None, None, "only C"])
    sheet.append([])
    sheet.append(["after an empty row", 10**12, 1e-3, False, dt.date(2026, 12, 31)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_the_same_values_as_openpyxl():
    data = _openpyxl_workbook()
    read = ours(data)
    assert read == openpyxls(data)
    assert read[2][4] == dt.datetime(2026, 3, 31)  # a number in a date style
    assert sorted(read) == [1, 2, 3, 5]  # Excel's row numbers


def test_it_reads_shared_strings_as_openpyxl_does():
    strings: list[str] = []
    rows = inline_row(1, ["Nội dung", "Mã"], strings) + inline_row(3, [2, "ĐẤT & đai"], strings)
    data = raw_xlsx(rows, strings=strings)
    assert ours(data) == openpyxls(data) == {1: ("Nội dung", "Mã"), 3: (2, "ĐẤT & đai")}


def test_it_reads_rich_text_without_its_phonetic_hints():
    workbook = Workbook()
    workbook.active.title = DATA_SHEET
    rich = CellRichText("Nhiệm ", TextBlock(InlineFont(b=True), "vụ"))
    workbook.active.append([rich, "plain"])
    buffer = BytesIO()
    workbook.save(buffer)
    assert ours(buffer.getvalue()) == {1: ("Nhiệm vụ", "plain")}
    phonetic = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>漢</t><rPh><t>かん</t></rPh></is></c></row>'
    )
    assert ours(raw_xlsx(phonetic)) == {1: ("漢",)}


def test_it_places_cells_by_their_reference_and_numbers_rows_without_one():
    rows = '<row><c r="C1"><v>3</v></c></row><row><c><v>1</v></c><c t="b"><v>1</v></c></row>'
    assert ours(raw_xlsx(rows)) == {1: (None, None, 3), 2: (1, True)}


def test_it_reads_text_across_chunks_and_leaves_out_the_layout_whitespace():
    long = "Nhiệm vụ dài & khó " * 8_000  # longer than the reader's chunk
    rows = (
        '<row r="1">\n  <c r="A1" t="inlineStr">\n    <is>\n      <t xml:space="preserve">'
        ' có  khoảng trắng </t>\n    </is>\n  </c>\n  <c r="B1">\n    <f>1+1</f>\n'
        '    <v>2</v>\n  </c>\n  <c r="C1" t="s">\n    <v>0</v>\n  </c>\n</row>\n'
        f'<row r="2"><c r="B2" t="inlineStr"><is><t>{escape(long)}</t></is></c></row>\n'
    )
    data = raw_xlsx(rows, strings=["một & hai"])
    expected = {1: (" có  khoảng trắng ", 2, "một & hai"), 2: (None, long)}
    assert ours(data) == openpyxls(data) == expected


def test_it_refuses_a_document_type_declaration():
    sheet = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + SHEET.split("?>", 1)[1]
    with pytest.raises(ValueError):
        ours(raw_xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>', sheet))


def test_its_memory_does_not_grow_with_the_sheet():
    def peak(rows: int) -> int:
        body = "".join(
            inline_row(n, [1, f"NV-{n}", "Nhiệm vụ thử " * 5, "so-a", "31/12/2026"])
            for n in range(1, rows + 1)
        )
        data = raw_xlsx(body)
        tracemalloc.start()
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                assert sum(1 for _ in read_rows(archive, prefer=DATA_SHEET)) == rows
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(1_000), peak(10_000)
    assert large < small * 1.5 + 64 * 1024, (small, large)


@pytest.mark.django_db
@pytest.mark.parametrize("shared", [True, False], ids=["shared strings", "inline strings"])
def test_it_imports_files_with_shared_or_inline_strings(plan, officer, shared):  # noqa: F811
    strings = [] if shared else None
    rows = [
        inline_row(1, list(TEMPLATE_COLUMNS), strings),
        inline_row(2, row(code="A-1", coordinating="so-b, mttq"), strings),
        inline_row(3, row(code="A-2", title="Đối thoại", due_on="30/06/2026"), strings),
    ]
    result = import_tasks(actor=officer, plan=plan, data=raw_xlsx("".join(rows), strings=strings))
    assert result.ok, [str(e) for e in result.errors]
    tasks = Task.objects.filter(plan=plan).order_by("code")
    assert [(t.code, t.due_on, t.coordinating_agencies.count()) for t in tasks] == [
        ("A-1", dt.date(2026, 3, 31), 2),
        ("A-2", dt.date(2026, 6, 30), 0),
    ]


@pytest.mark.django_db
def test_it_reports_a_bad_row_far_down_and_saves_nothing(plan, officer, monkeypatch):  # noqa: F811
    # Small batches, so several are saved before the bad row, which sits at Excel row 40,001.
    monkeypatch.setattr("danvan.plans.xlsx_import.BATCH_SIZE", 2)
    header = inline_row(1, list(TEMPLATE_COLUMNS))
    good = [inline_row(n, row(code=f"NV-{n}")) for n in range(2, 9)]
    bad = inline_row(40_001, row(code="NV-bad", due_on="31/02/2026"))
    result = import_tasks(actor=officer, plan=plan, data=raw_xlsx(header + "".join(good) + bad))
    assert errors_at(result) == [(40_001, "Thời hạn")]
    assert not Task.objects.filter(plan=plan).exists()


@pytest.mark.django_db
def test_it_keeps_every_field_rule_message(plan, officer):  # noqa: F811
    data = raw_xlsx(
        inline_row(1, list(TEMPLATE_COLUMNS)) + inline_row(2, row(code="X" * 40, title="ok"))
    )
    result = import_tasks(actor=officer, plan=plan, data=data)
    assert errors_at(result) == [(2, "Mã nhiệm vụ")]
    assert "32" in result.errors[0].message


def test_a_small_part_with_a_dtd_is_refused_whatever_its_encoding():
    from danvan.plans.xlsx_reader import _part

    bomb = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", bomb.encode("utf-16"))
        archive.writestr("xl/plain.xml", '<?xml version="1.0"?><x>ok</x>')
    with zipfile.ZipFile(buffer) as archive:
        assert _part(archive, "xl/plain.xml").text == "ok"
        with pytest.raises(ValueError):
            _part(archive, "xl/workbook.xml")
