"""A report as files: DOCX in the Nghị định 30/2020 layout, the XLSX statistical annex and a PDF
through WeasyPrint. All three are built from the same tables (`reports.tables`). Documents are
always written in Vietnamese, whatever the reader's interface language."""

import datetime as dt
import functools
import shutil
import subprocess
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from danvan.core.docx_layout import FONT, OfficialDocument, date_line, roman
from danvan.petitions.notices import place_name
from danvan.reports import tables as t

DOC_TYPE = "BÁO CÁO"
# Glyphs that the older Liberation fonts lack (ầ, ệ): a PDF without them mixes typefaces.
VIETNAMESE_PROBE = "1ea7 1ec7"
PDF_FONTS = ("Times New Roman", "Liberation Serif")


class PdfUnavailable(RuntimeError):
    """The server lacks the system parts WeasyPrint needs; the message says which."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def report_date(report) -> dt.date:
    return (
        timezone.localtime(report.submitted_at).date()
        if report.submitted_at
        else (timezone.localdate())
    )


def filename(report, extension: str) -> str:
    period = report.period
    return f"bao-cao-{report.agency.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


def outline(report, data: dict) -> list[dict]:
    """The report's body in reading order: numbered parts with their paragraphs and tables."""
    narratives = report.narratives or {}
    petition_tables = {table.key: table for table in t.petition_tables(data)}
    plan_part = {
        "title": _("Results of carrying out the mass-mobilisation plan"),
        "sections": [
            {
                "title": s["title"],
                "paragraphs": _lines(narratives.get(f"content_{s['number']}", "")),
                "tables": [t.section_table(s)] if s["tasks"] else [],
            }
            for s in data.get("sections", [])
        ],
        "tables": t.task_tables(data),
        "paragraphs": [],
    }
    petitions_part = {
        "title": _("Citizen reception and petitions"),
        "sections": [
            {
                "title": _("Citizen reception"),
                "paragraphs": [],
                "tables": [t.reception_table(data)],
            },
            {
                "title": _("Receiving, classifying and resolving petitions"),
                "paragraphs": _lines(narratives.get("petitions", "")),
                "tables": list(petition_tables.values()),
            },
        ],
        "tables": [],
        "paragraphs": [],
    }
    return [
        plan_part,
        petitions_part,
        {
            "title": _("General assessment"),
            "sections": [],
            "tables": [],
            "paragraphs": _lines(narratives.get("assessment", "")),
        },
        {
            "title": _("Tasks for the next period"),
            "sections": [],
            "tables": [],
            "paragraphs": _lines(narratives.get("next_period", "")),
        },
    ]


def build_docx(report, data: dict) -> bytes:
    with translation.override("vi"):
        agency = report.agency
        doc = OfficialDocument(
            parent_body=agency.parent.name if agency.parent_id else "",
            issuing_body=agency.name,
            number=report.number,
            place=place_name(agency.unit),
            date=report_date(report),
            doc_type_title=DOC_TYPE,
            subject=report.subject,
        )
        for part in outline(report, data):
            doc.add_heading(part["title"].upper(), level=1)
            for text in part["paragraphs"]:
                doc.add_paragraph(text)
            for section in part["sections"]:
                doc.add_heading(section["title"], level=2)
                for text in section["paragraphs"]:
                    doc.add_paragraph(text)
                for table in section["tables"]:
                    _docx_table(doc, table)
            for table in part["tables"]:
                _docx_table(doc, table)
        doc.add_recipients(_lines(report.recipients))
        doc.add_signature(
            prefixes=_lines(report.signing_prefixes),
            position=report.signer_position,
            signer=report.signer_name,
        )
        return doc.to_bytes()


def _docx_table(doc: OfficialDocument, table: t.Table) -> None:
    if table.captioned:
        doc.add_paragraph(table.title, italic=True, indent=False)
    doc.add_table(
        table.headers, table.rows or [["—"] * len(table.headers)], widths_mm=table.widths_mm
    )


def build_xlsx(report, data: dict) -> bytes:
    """The statistical annex: a cover sheet, then one sheet per table."""
    with translation.override("vi"):
        workbook = Workbook(write_only=True)
        cover = workbook.create_sheet(_("Report"))
        for label, value in (
            (_("Issuing agency"), report.agency.name),
            (_("Number"), report.number),
            (_("Subject"), report.subject),
            (_("Period"), report.period.range_label()),
            (_("Figures as of"), data.get("as_of", "")),
            (_("Status"), report.get_status_display()),
        ):
            cover.append([label, value])
        for index, table in enumerate(t.all_tables(data), start=1):
            sheet = workbook.create_sheet(f"{index:02d}")
            sheet.append([_title_cell(sheet, table.title)])
            sheet.append([_header_cell(sheet, h) for h in table.headers])
            for row in table.rows:
                sheet.append(list(row))
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _title_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(name=FONT, bold=True, size=13)
    return cell


def _header_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(name=FONT, bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


# -- PDF ------------------------------------------------------------------------------------------


def pdf_missing_parts() -> list[str]:
    """What the server lacks for a faithful PDF (empty when it has everything)."""
    return list(_missing_parts())


@functools.lru_cache(maxsize=1)
def _missing_parts() -> tuple[str, ...]:
    """Checked once per process: system packages do not change under a running server, and the
    check starts a `fc-list` process."""
    missing = []
    try:
        import weasyprint  # noqa: F401  (needs Pango at import time)
    except (ImportError, OSError):
        missing.append("WeasyPrint / Pango (libpango-1.0-0, libpangoft2-1.0-0)")
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return (*missing, "fontconfig (fc-list)")
    found = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [fc_list, f":charset={VIETNAMESE_PROBE}", "family"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    ).stdout
    if not any(font in found for font in PDF_FONTS):
        missing.append("Times New Roman / Liberation Serif (fonts-liberation2)")
    return tuple(missing)


def build_pdf(report, data: dict) -> bytes:
    missing = pdf_missing_parts()
    if missing:
        raise PdfUnavailable(
            _("The PDF cannot be made on this server: it lacks %(parts)s. DOCX and XLSX work.")
            % {"parts": ", ".join(missing)}
        )
    from weasyprint import HTML

    with translation.override("vi"):
        agency = report.agency
        html = render_to_string(
            "reports/report_pdf.html",
            {
                "report": report,
                "parts": [
                    {**part, "label": f"{roman(i)}."}
                    for i, part in enumerate(outline(report, data), start=1)
                ],
                "parent_body": agency.parent.name if agency.parent_id else "",
                "date_line": date_line(place_name(agency.unit), report_date(report)),
                "recipients": _lines(report.recipients),
                "prefixes": _lines(report.signing_prefixes),
            },
        )
        return HTML(string=html).write_pdf()
