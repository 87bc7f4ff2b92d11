"""Official documents laid out as Nghị định 30/2020/NĐ-CP, Appendix I requires (DOMAIN.md §H).

Layout only: the caller supplies every word, number, name and legal citation. This module knows
page size, margins, typeface, sizes and styles, where each element sits, and nothing of the law a
document applies. Reused by petition notices and by periodic reports.

Choices inside the ranges of Appendix I (documented so a reviewer can check them):
- A4 portrait; margins top 20, bottom 20, left 30, right 15 mm; Times New Roman everywhere;
- body 14 pt, first-line indent 10 mm, 6 pt after each paragraph, line spacing 1.15;
- national name 12 pt upper bold, motto 13 pt bold; parent body 13 pt upper, issuing body 13 pt
  upper bold; "Số: …" 13 pt; place and date 14 pt italic;
- document type 14 pt upper bold; subject 14 pt bold; signing authority 14 pt upper bold;
  "Nơi nhận:" 12 pt bold italic, its items 11 pt; page numbers 14 pt, top centre, from page 2.
"""

import copy
import datetime as dt
from collections.abc import Sequence
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_COLUMNS_MM = (62, TEXT_WIDTH_MM - 62)
CLOSING_COLUMNS_MM = (75, TEXT_WIDTH_MM - 75)
BODY_PT = 14
TABLE_PT = 13
FIRST_LINE_INDENT_MM = 10
LINE_SPACING = 1.15
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_RULE_MM = 62  # about the printed width of the motto at 13 pt bold
SIGNATURE_SPACE_LINES = 4
RFONT_ATTRS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
TABLE_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")
# Elements that must follow w:tblBorders inside w:tblPr (ECMA-376 order).
AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
# Vietnamese alphabet for "a), b), c), d), đ), …" sub-points.
SUB_POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def date_line(place: str, date: dt.date) -> str:
    """'Cần Thơ, ngày 05 tháng 02 năm 2026': days below 10 and months 1–2 take a leading zero
    (Appendix I, Part I §II, as quoted on luatvietnam.vn/hanh-chinh/cach-viet-ngay-thang-nam-
    trong-van-ban-570-20349-article.html; not yet in DOMAIN.md)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _run(paragraph, text: str, *, size: float, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    return run


def _tight(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER):
    """Header/closing lines: no spacing, single line."""
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = None
    paragraph.alignment = align
    return paragraph


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _set_fonts(rpr) -> None:
    """Name the typeface for every script slot; theme attributes would override plain names."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in RFONT_ATTRS:
        rfonts.set(qn(attr), FONT)


def _rule(cell_or_doc, line_mm: float, width_mm: float) -> None:
    """A short centred horizontal line: an empty paragraph with a bottom border, narrowed by
    equal left and right indents (what Appendix I draws under the issuing body and motto)."""
    paragraph = cell_or_doc.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    _tight(paragraph)
    indent = Mm(max((width_mm - line_mm) / 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing = Pt(2)


def _borderless_table(document, widths_mm: Sequence[float], rows: int = 1):
    table = document.add_table(rows=rows, cols=len(widths_mm))
    borders = OxmlElement("w:tblBorders")
    for edge in TABLE_BORDERS:
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert_before(table._tbl.tblPr, borders, AFTER_TBL_BORDERS)
    _set_widths(table, widths_mm)
    return table


def _set_widths(table, widths_mm: Sequence[float]) -> None:
    """Word honours cell widths, LibreOffice the grid: set both, with a fixed layout."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_line(
    cell, text: str, *, size: float, first=False, align=WD_ALIGN_PARAGRAPH.CENTER, **style
) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    _run(_tight(paragraph, align), text, size=size, **style)


def _page_number_field(paragraph, size: float) -> None:
    """A PAGE field (begin, instruction, separate, cached value, end)."""
    parts = [("fldChar", "begin"), ("instrText", " PAGE "), ("fldChar", "separate")]
    parts += [("t", "2"), ("fldChar", "end")]
    for tag, value in parts:
        run = _run(paragraph, "", size=size)
        if tag == "t":
            run.text = value
            continue
        element = OxmlElement(f"w:{tag}")
        if tag == "fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = value
        run._r.append(element)


class OfficialDocument:
    """One administrative document: header, title, body, recipients, signature → DOCX bytes.

    `number` is what follows "Số: " (e.g. "…/TB-UBND"); an empty `number` or `parent_body`
    leaves that line out. Build with the add_* methods in reading order, then `to_bytes()`.
    """

    def __init__(
        self,
        *,
        parent_body: str,
        issuing_body: str,
        number: str,
        place: str,
        date: dt.date,
        doc_type_title: str,
        subject: str,
    ):
        self.document = Document()
        self.issuing_body = issuing_body
        self._heading_counters = [0, 0, 0]
        self._recipients: list[str] | None = None
        self._signature: tuple[Sequence[str], str, str] | None = None
        self._finished = False
        self._page_setup()
        self._styles()
        self._header(parent_body, issuing_body, number, date_line(place, date))
        self._title(doc_type_title, subject)
        self._properties(doc_type_title, subject)

    # -- public API -------------------------------------------------------------------------

    def add_paragraph(
        self, text: str, *, bold=False, italic=False, align: str = "justify", indent: bool = True
    ):
        """A body paragraph (14 pt, justified, first-line indent). Returns the docx paragraph."""
        self._check_open()
        paragraph = self.document.add_paragraph()
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        paragraph.paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM) if indent else None
        _run(paragraph, text, size=BODY_PT, bold=bold, italic=italic)
        return paragraph

    def add_heading(self, text: str, *, level: int = 1) -> str:
        """A numbered heading: level 1 "I.", level 2 "1.", level 3 "a)". Returns the number."""
        if level not in (1, 2, 3):
            raise ValueError("heading level must be 1, 2 or 3")
        counters = self._heading_counters
        counters[level - 1] += 1
        counters[level:] = [0] * (3 - level)
        count = counters[level - 1]
        label = {1: f"{roman(count)}.", 2: f"{count}.", 3: f"{self._letter(count)})"}[level]
        paragraph = self.add_paragraph(f"{label} {text}", bold=level < 3, italic=level == 3)
        paragraph.paragraph_format.keep_with_next = True
        return label

    def add_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths_mm: Sequence[float] | None = None,
    ):
        """A bordered table (13 pt) whose header row repeats on every page."""
        self._check_open()
        widths = list(widths_mm or [TEXT_WIDTH_MM / len(headers)] * len(headers))
        table = self.document.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.document.styles["Table Grid"]
        _set_widths(table, widths)
        header_row = table.rows[0]
        header_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, text in zip(header_row.cells, headers, strict=True):
            _cell_line(cell, str(text), size=TABLE_PT, first=True, bold=True)
        # One body cell is formatted through python-docx; the others are copies of its
        # paragraph with their own text (formatting each run through the API costs ~3 ms a cell,
        # seconds for an annual report's task tables).
        template = None
        for row, values in zip(table.rows[1:], rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                text = "" if value is None else str(value)
                empty = cell.paragraphs[0]
                if template is None:
                    _run(_tight(empty, WD_ALIGN_PARAGRAPH.LEFT), "x", size=TABLE_PT)
                    template = copy.deepcopy(empty._p)
                new = copy.deepcopy(template)
                t = new.find(f"{qn('w:r')}/{qn('w:t')}")
                t.text = text
                if text != text.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                cell._tc.replace(empty._p, new)
        self.document.add_paragraph()  # keeps the next paragraph from sticking to the table
        return table

    def add_recipients(self, recipients: Sequence[str]) -> None:
        """The "Nơi nhận:" list, bottom left: items end with ";" and the last with "."."""
        self._check_open()
        self._recipients = [r.strip().rstrip(";.").strip() for r in recipients if r.strip()]

    def add_signature(self, *, position: str, signer: str, prefixes: Sequence[str] = ()) -> None:
        """The signing block, bottom right: prefixes ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
        the signer's position, room for signature and seal, the signer's name."""
        self._check_open()
        self._signature = (tuple(prefixes), position, signer)

    def to_bytes(self) -> bytes:
        self._finish()
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # -- construction -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._finished:
            raise RuntimeError("the document is finished; build a new one")

    @staticmethod
    def _letter(count: int) -> str:
        letters = SUB_POINT_LETTERS
        return letters[(count - 1) % len(letters)] * ((count - 1) // len(letters) + 1)

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.header_distance = section.footer_distance = Mm(10)
        # Page numbers from page 2, top centre (none on page 1).
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        header = section.header
        header.is_linked_to_previous = False
        _page_number_field(_tight(header.paragraphs[0]), BODY_PT)

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        _set_fonts(normal.element.get_or_add_rPr())
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        normal.element.get_or_add_rPr().append(lang)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), LINE_SPACING
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        if rpr is not None and rpr.find(qn("w:rPr")) is not None:
            _set_fonts(rpr.find(qn("w:rPr")))

    def _header(self, parent_body: str, issuing_body: str, number: str, dated: str) -> None:
        table = _borderless_table(self.document, HEADER_COLUMNS_MM, rows=2)
        left, right = table.rows[0].cells
        lines = [(parent_body.upper(), {})] if parent_body.strip() else []
        lines.append((issuing_body.upper(), {"bold": True}))
        for i, (text, style) in enumerate(lines):
            _cell_line(left, text, size=13, first=i == 0, **style)
        _rule(left, HEADER_COLUMNS_MM[0] / 3, HEADER_COLUMNS_MM[0])
        _cell_line(right, NATIONAL_NAME, size=12, first=True, bold=True)
        _cell_line(right, MOTTO, size=13, bold=True)
        _rule(right, MOTTO_RULE_MM, HEADER_COLUMNS_MM[1])
        number_cell, date_cell = table.rows[1].cells
        if number.strip():
            _cell_line(number_cell, f"Số: {number}", size=13, first=True)
        _cell_line(date_cell, dated, size=14, first=True, italic=True)
        date_cell.paragraphs[0].paragraph_format.space_before = Pt(6)
        number_cell.paragraphs[0].paragraph_format.space_before = Pt(6)

    def _title(self, doc_type_title: str, subject: str) -> None:
        title = _tight(self.document.add_paragraph())
        title.paragraph_format.space_before = Pt(18)
        _run(title, doc_type_title.upper(), size=BODY_PT, bold=True)
        if subject.strip():
            _run(_tight(self.document.add_paragraph()), subject, size=BODY_PT, bold=True)
        _rule(self.document, TEXT_WIDTH_MM / 4, TEXT_WIDTH_MM)
        self.document.paragraphs[-1].paragraph_format.space_after = Pt(12)

    def _properties(self, doc_type_title: str, subject: str) -> None:
        props = self.document.core_properties
        props.title = f"{doc_type_title} {subject}".strip()
        props.author = props.last_modified_by = self.issuing_body
        props.comments = props.keywords = props.subject = ""
        props.language = "vi-VN"

    def _finish(self) -> None:
        if self._finished or (self._recipients is None and self._signature is None):
            self._finished = True
            return
        table = _borderless_table(self.document, CLOSING_COLUMNS_MM)
        left, right = table.rows[0].cells
        if self._recipients is not None:
            flush_left = WD_ALIGN_PARAGRAPH.LEFT
            _cell_line(
                left, "Nơi nhận:", size=12, first=True, align=flush_left, bold=True, italic=True
            )
            last = len(self._recipients) - 1
            for i, item in enumerate(self._recipients):
                text = f"- {item}{'.' if i == last else ';'}"
                _cell_line(left, text, size=11, align=flush_left)
        if self._signature is not None:
            self._signature_cell(right, *self._signature)
        for cell in (left, right):
            cell.paragraphs[0].paragraph_format.space_before = Pt(12)
        self._finished = True

    @staticmethod
    def _signature_cell(cell, prefixes: Sequence[str], position: str, signer: str) -> None:
        lines = [*prefixes, position]
        for i, text in enumerate(lines):
            _cell_line(cell, text.upper(), size=BODY_PT, first=i == 0, bold=True)
        for _ in range(SIGNATURE_SPACE_LINES):
            _cell_line(cell, "", size=BODY_PT)
        _cell_line(cell, signer, size=BODY_PT, bold=True)
