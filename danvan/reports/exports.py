"""The records behind a figure as CSV or XLSX (open data for staff). Rows are read in chunks, so
memory stays flat; a sealed denouncer's identity is written as "[Bảo mật]", like every list."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from danvan.petitions.models import Petition
from danvan.petitions.selectors import petitioner_label
from danvan.plans.models import Task
from danvan.reception.models import ReceptionSession
from danvan.reports.tables import status_label

CHUNK = 2000


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def prepared(qs: QuerySet) -> QuerySet:
    """`qs` with the joins its rows need, so a page or an export costs a fixed number of queries."""
    model = qs.model
    if model is Petition:
        return qs.select_related("agency", "unit", "sealed_identity").prefetch_related(
            "petitioners"
        )
    if model is Task:
        return qs.select_related("plan", "content", "lead_agency")
    return qs.select_related("agency", "leader")


def columns(model) -> list[str]:
    if model is Petition:
        return [
            _("Tracking code"),
            _("Received"),
            _("Kind"),
            _("Channel"),
            _("Status"),
            _("Handling agency"),
            _("Commune / ward"),
            _("Next deadline"),
            _("Subject"),
            _("Petitioner"),
        ]
    if model is Task:
        return [
            _("Code"),
            _("Task"),
            _("Plan"),
            _("Content"),
            _("Lead agency"),
            _("Deadline"),
            _("Status"),
            _("Progress (%)"),
        ]
    return [_("Date"), _("Agency"), _("Receiving leader"), _("Role"), _("Mode"), _("Place")]


def row(obj) -> list:
    if isinstance(obj, Petition):
        return [
            obj.tracking_code,
            _date(obj.received_on),
            obj.get_kind_display(),
            obj.get_channel_display(),
            obj.get_status_display(),
            obj.agency.name,
            obj.unit.name if obj.unit_id else "",
            _date(obj.due_on),
            obj.subject,
            petitioner_label(obj),
        ]
    if isinstance(obj, Task):
        return [
            obj.code,
            obj.title,
            obj.plan.title,
            f"({obj.content.number}) {obj.content.title}",
            obj.lead_agency.name,
            _date(obj.due_on),
            status_label(obj.status),
            obj.percent,
        ]
    assert isinstance(obj, ReceptionSession)
    return [
        _date(obj.date),
        obj.agency.name,
        str(obj.leader),
        obj.get_role_display(),
        obj.get_mode_display(),
        obj.place,
    ]


def iter_rows(qs: QuerySet, progress=None) -> Iterator[list]:
    """Rows of `qs` in chunks; `progress(done)` is called after each chunk."""
    for done, obj in enumerate(prepared(qs).order_by("pk").iterator(chunk_size=CHUNK), 1):
        yield row(obj)
        if progress and done % CHUNK == 0:
            progress(done)


def write_csv(qs: QuerySet, stream: io.TextIOBase, progress=None) -> int:
    """CSV in UTF-8 with a BOM (spreadsheets then read Vietnamese right); returns the row count."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(columns(qs.model))
    count = 0
    for values in iter_rows(qs, progress):
        writer.writerow(values)
        count += 1
    return count


def write_xlsx(qs: QuerySet, stream, progress=None) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Records"))
    sheet.append(columns(qs.model))
    count = 0
    for values in iter_rows(qs, progress):
        sheet.append(values)
        count += 1
    workbook.save(stream)
    return count


def csv_bytes(qs: QuerySet) -> bytes:
    buffer = io.StringIO()
    write_csv(qs, buffer)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(qs: QuerySet) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(qs, buffer)
    return buffer.getvalue()


def header_and_rows(qs: QuerySet, rows: Iterable) -> tuple[list[str], list[list]]:
    """For the drill-down page: the column headers and the rows of one page of records."""
    return columns(qs.model), [row(obj) for obj in rows]
