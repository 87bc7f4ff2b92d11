"""The XLSX task template: its columns, its words, and the downloadable workbook.

The template is a data format, so its headings, sheet names and instructions are Vietnamese
text written here directly (the parser in `xlsx_import` reads the same headings back); only
messages shown in the UI go through gettext.
"""

from dataclasses import dataclass
from io import BytesIO
from itertools import zip_longest

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from danvan.core.text import fold_text
from danvan.org.models import Agency
from danvan.plans.models import Plan, Task

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000

DATA_SHEET = "Nhiệm vụ"
GUIDE_SHEET = "Hướng dẫn"
REFERENCE_SHEET = "Danh mục"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int

    @property
    def label(self) -> str:
        """The heading without its parenthesised hint: 'Thời hạn (dd/mm/yyyy)' → 'Thời hạn'."""
        return self.heading.split(" (", 1)[0]


COLUMNS = (
    Column("content", "Nội dung (số)", 12),
    Column("code", "Mã nhiệm vụ", 14),
    Column("title", "Nhiệm vụ", 60),
    Column("description", "Mô tả", 40),
    Column("expected_output", "Sản phẩm dự kiến", 30),
    Column("lead", "Đơn vị chủ trì (mã)", 22),
    Column("coordinating", "Đơn vị phối hợp (mã, cách nhau bởi dấu phẩy)", 34),
    Column("due_on", "Thời hạn (dd/mm/yyyy)", 16),
    Column("recurrence", "Lặp lại (không / hằng tháng / hằng quý / 6 tháng / hằng năm)", 24),
    Column("recurrence_day", "Ngày trong tháng", 12),
)
TEMPLATE_COLUMNS = tuple(column.heading for column in COLUMNS)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# The words the template offers, in the order the template lists them.
RECURRENCE_WORDS = {
    "không": Task.Recurrence.NONE,
    "hằng tháng": Task.Recurrence.MONTHLY,
    "hằng quý": Task.Recurrence.QUARTERLY,
    "6 tháng": Task.Recurrence.HALF_YEARLY,
    "hằng năm": Task.Recurrence.YEARLY,
}
# Folded spellings the parser also accepts ("hàng tháng" folds like "hằng tháng").
RECURRENCE_ALIASES = {
    "": Task.Recurrence.NONE,
    "mot lan": Task.Recurrence.NONE,
    "sau thang": Task.Recurrence.HALF_YEARLY,
    "nua nam": Task.Recurrence.HALF_YEARLY,
    **{fold_text(word): value for word, value in RECURRENCE_WORDS.items()},
    **{value: value for value in Task.Recurrence.values},
}

GUIDE_LINES = (
    "HƯỚNG DẪN NHẬP NHIỆM VỤ TỪ TỆP XLSX",
    "",
    "1. Mỗi dòng của trang “Nhiệm vụ” là một nhiệm vụ. Không đổi tên, không xoá dòng tiêu đề.",
    "2. Nội dung (số): số thứ tự của nội dung trong kế hoạch, ví dụ 3 (xem trang “Danh mục”).",
    "3. Mã nhiệm vụ: không bắt buộc; nếu có thì không được trùng trong tệp và trong kế hoạch.",
    "4. Nhiệm vụ: bắt buộc. Mô tả và Sản phẩm dự kiến: không bắt buộc.",
    "5. Đơn vị chủ trì: NÊN ghi MÃ đơn vị (cột “Mã đơn vị” ở trang “Danh mục”). "
    "Có thể ghi đúng tên đầy đủ của đơn vị, nhưng mã luôn chính xác hơn.",
    "6. Đơn vị phối hợp: mã (hoặc tên đầy đủ) của từng đơn vị, cách nhau bởi dấu phẩy.",
    "7. Thời hạn: ngày/tháng/năm (dd/mm/yyyy), ví dụ 31/12/2026, và phải nằm trong "
    "thời gian thực hiện kế hoạch.",
    "8. Lặp lại: để trống hoặc ghi “không” nếu làm một lần; hoặc “hằng tháng”, “hằng quý”, "
    "“6 tháng”, “hằng năm”.",
    "9. Ngày trong tháng (1–31): bắt buộc khi nhiệm vụ lặp lại; mỗi kỳ đến hạn vào ngày này "
    "(tháng ngắn hơn thì vào ngày cuối tháng). Hệ thống tạo các kỳ từ đầu kế hoạch đến Thời hạn.",
    "",
    f"Tệp tối đa {MAX_IMPORT_BYTES // 1048576} MB và {MAX_IMPORT_ROWS // 1000}.000 dòng nhiệm vụ.",
    "Nhập theo nguyên tắc “tất cả hoặc không”: nếu có dòng sai, không nhiệm vụ nào được lưu "
    "và hệ thống liệt kê từng dòng, từng cột cần sửa.",
    "",
    "Ví dụ một dòng:",
)
EXAMPLE_ROW = (
    1,
    "1.1",
    "Tổ chức hội nghị quán triệt kế hoạch",
    "",
    "Hội nghị; báo cáo kết quả",
    "so-noi-vu",
    "so-tu-phap, mttq",
    "31/03/2026",
    "không",
    "",
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=13)


def text_cell(sheet, value, **style) -> WriteOnlyCell:
    """A cell that shows `value` as written: a leading '=' stays text, never a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_template(plan: Plan | None = None) -> bytes:
    """Return the import template: data sheet, instructions, and the agency/content lists."""
    workbook = Workbook()
    _data_sheet(workbook.active)
    _guide_sheet(workbook.create_sheet(GUIDE_SHEET))
    _reference_sheet(workbook.create_sheet(REFERENCE_SHEET), plan)
    return workbook_bytes(workbook)


def _data_sheet(sheet) -> None:
    sheet.title = DATA_SHEET
    sheet.append(
        [
            text_cell(sheet, heading, font=HEADER_FONT, fill=HEADER_FILL)
            for heading in TEMPLATE_COLUMNS
        ]
    )
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet[f"{letter}1"].alignment = Alignment(wrap_text=True, vertical="top")
        if column.key in ("code", "due_on"):
            # Text, so Excel neither turns "1.10" into 1.1 nor reads 05/03 as 3 May.
            sheet.column_dimensions[letter].number_format = "@"
    last = MAX_IMPORT_ROWS + 1
    words = ",".join(RECURRENCE_WORDS)
    recurrence = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
    day = DataValidation(type="whole", operator="between", formula1="1", formula2="31")
    day.allow_blank = True
    for validation, key in ((recurrence, "recurrence"), (day, "recurrence_day")):
        letter = get_column_letter(list(COLUMN_BY_KEY).index(key) + 1)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)


def _guide_sheet(sheet) -> None:
    sheet.column_dimensions["A"].width = 110
    for line in GUIDE_LINES:
        sheet.append([text_cell(sheet, line, alignment=Alignment(wrap_text=True))])
    sheet["A1"].font = TITLE_FONT
    sheet.append([text_cell(sheet, heading, font=HEADER_FONT) for heading in TEMPLATE_COLUMNS])
    sheet.append([text_cell(sheet, value) for value in EXAMPLE_ROW])


def _reference_sheet(sheet, plan: Plan | None) -> None:
    """Agencies in force (code, name) in A:B; the plan's contents (number, title) in D:E."""
    for letter, width in (("A", 24), ("B", 60), ("C", 3), ("D", 14), ("E", 80)):
        sheet.column_dimensions[letter].width = width
    headings = ["Mã đơn vị", "Tên đơn vị", None, "Nội dung (số)", "Tên nội dung"]
    sheet.append([text_cell(sheet, h, font=HEADER_FONT) if h else None for h in headings])
    sheet.freeze_panes = "A2"
    agencies = (
        Agency.objects.in_force(timezone.localdate()).order_by("name").values_list("code", "name")
    )
    contents = (
        plan.contents.order_by("number").values_list("number", "title") if plan is not None else []
    )
    for (code, name), (number, title) in zip_longest(agencies, contents, fillvalue=(None, None)):
        sheet.append(
            [text_cell(sheet, code), text_cell(sheet, name), None, number, text_cell(sheet, title)]
        )
