"""Import tasks from the XLSX template: read and check every row, then save all or nothing.

`parse_rows` streams the sheet (`xlsx_reader`: expat, constant memory) and collects every error
with its Excel row and column heading, so a person fixes the whole file in one pass. Agencies,
contents and codes already used are looked up once, so checking costs no query per row.
`import_tasks` checks and saves in the same streaming pass inside one transaction (flat memory
for any file length) and rolls everything back if any row is wrong. One-off tasks are saved in
batches: on PostgreSQL one pipelined INSERT per batch (`xlsx_pg`: the server saves a batch while
the next rows are read), elsewhere bulk_create; the same columns and defaults, read from the
model; the same transaction.
"""

import contextlib
import hashlib
import operator
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from xml.parsers import expat

from django.db import connection, transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from danvan.core.audit import audit_log
from danvan.core.text import fold_text, normalize_text
from danvan.plans.models import Plan, Task
from danvan.plans.services import insert_task
from danvan.plans.xlsx import COLUMN_BY_KEY, COLUMNS, DATA_SHEET, MAX_IMPORT_ROWS
from danvan.plans.xlsx_pg import PipelinedTaskInserts
from danvan.plans.xlsx_reader import read_rows
from danvan.plans.xlsx_rows import CELL_KEYS, RowParser, TaskRow, codes_in_use

# A 10 MB upload may not unpack to more than this: a guard against zip bombs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
BATCH_SIZE = 500
BAD_FILE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    expat.ExpatError,
    SyntaxError,  # xml.etree's ParseError
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    IndexError,  # a workbook with no worksheet
)


@dataclass(frozen=True)
class RowError:
    """One problem in the file; `row` is the Excel row number, `column` a heading label."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class ParseResult:
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    created: int = 0
    occurrences: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class BadFileError(Exception):
    pass


def _bad_file() -> BadFileError:
    return BadFileError(
        _("This file cannot be read as an XLSX workbook. Save it from Excel as .xlsx and retry.")
    )


def _open(data: bytes) -> zipfile.ZipFile:
    """Return the opened archive, or raise BadFileError with a message for people."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except BAD_FILE_ERRORS as exc:
        raise _bad_file() from exc
    if unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise BadFileError(_("This file is too large once unpacked; split it into several files."))
    return archive


def _values(archive: zipfile.ZipFile) -> Iterator[tuple[int, tuple]]:
    """Yield (row number, values) of the data sheet; the file's own dimensions are ignored."""
    try:
        rows = read_rows(archive, prefer=DATA_SHEET)
    except BAD_FILE_ERRORS as exc:
        raise _bad_file() from exc
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except BAD_FILE_ERRORS as exc:
            raise _bad_file() from exc
        yield values


def _heading_key(text: str) -> str | None:
    folded = fold_text(text)
    for column in COLUMNS:
        if folded in (fold_text(column.heading), fold_text(column.label)):
            return column.key
    return None


def _read_header(values: tuple | None, errors: list[RowError]) -> dict[str, int]:
    """Return {column key: index}; record missing, unexpected and repeated columns."""
    positions: dict[str, int] = {}
    if values is None or _is_blank(values):
        message = _(
            "The first row must hold the template's column headings; start from the template."
        )
        errors.append(RowError(message, row=1))
        return positions
    for index, value in enumerate(values):
        text = normalize_text(str(value)) if value is not None else ""
        if not text:
            continue
        key = _heading_key(text)
        if key is None:
            message = _("Unexpected column “%(column)s” in cell %(cell)s of the header row.")
            cell = f"{get_column_letter(index + 1)}1"
            errors.append(RowError(message % {"column": text, "cell": cell}, row=1))
        elif key in positions:
            message = _("The column “%(column)s” appears twice in the header row.")
            errors.append(RowError(message % {"column": COLUMN_BY_KEY[key].label}, row=1))
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.key not in positions:
            message = _("The column “%(column)s” is missing from the header row.")
            errors.append(RowError(message % {"column": column.heading}, row=1))
    return positions


def _is_blank(values) -> bool:
    for value in values:
        if value is not None and (not isinstance(value, str) or value.strip()):
            return False
    return True


def _read_body(
    values: Iterator[tuple[int, tuple]], positions: dict[str, int], parser, result, sink=None
) -> None:
    """Check each row; hand the good ones to `sink` (default: keep them in `result.rows`)."""
    sink = sink or result.rows.append
    count = 0
    indexes = [positions[key] for key in CELL_KEYS]
    width = max(indexes) + 1
    pick = operator.itemgetter(*indexes)  # the template's cells in CELL_KEYS order, in C
    labels = {key: COLUMN_BY_KEY[key].label for key in CELL_KEYS}
    for number, row in values:
        # Cells outside the template's columns (a note in column L) are ignored.
        cells = pick(row if len(row) >= width else row + (None,) * (width - len(row)))
        if _is_blank(cells):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            message = _("The file has more than %(max)d tasks; split it into several files.")
            result.errors.append(RowError(message % {"max": MAX_IMPORT_ROWS}, row=number))
            return
        task_row, problems = parser.parse(number, cells)
        if problems:
            result.errors.extend(
                RowError(p.message, row=number, column=labels[p.key] if p.key else "")
                for p in problems
            )
        if task_row is not None:
            sink(task_row)
    if count == 0:
        result.errors.append(RowError(_("The file has no tasks below the header row.")))


def _stream(data: bytes, plan: Plan, result: ParseResult, sink=None) -> None:
    """Read and check every row of `data`, errors into `result`, good rows to `sink`."""
    try:
        archive = _open(data)
    except BadFileError as exc:
        result.errors.append(RowError(str(exc)))
        return
    try:
        values = _values(archive)
        number, header = next(values, (None, None))
        # A sheet whose first row is empty has no header, whatever follows.
        positions = _read_header(header if number == 1 else None, result.errors)
        if not result.errors:
            _read_body(values, positions, RowParser.for_plan(plan), result, sink)
    except BadFileError as exc:
        result.errors.append(RowError(str(exc)))
    finally:
        archive.close()


def parse_rows(data: bytes, *, plan: Plan) -> ParseResult:
    """Read and check every row of `data` against `plan`; nothing is saved."""
    result = ParseResult()
    _stream(data, plan, result)
    if result.errors:
        result.rows = []
    return result


def _bulk_insert(plan: Plan, rows: list[TaskRow]) -> None:
    """Save one-off tasks and their coordinating agencies in bulk (not PostgreSQL: see xlsx_pg)."""
    if not rows:
        return
    tasks = [Task(plan=plan, content=row.content, **row.fields) for row in rows]
    for task in tasks:
        task.refresh_search_text()  # save() is bypassed
    Task.objects.bulk_create(tasks, batch_size=BATCH_SIZE)
    through = Task.coordinating_agencies.through
    links = [
        through(task_id=task.pk, agency_id=agency.pk)
        for task, row in zip(tasks, rows, strict=True)
        for agency in row.coordinating
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)


class _Writer:
    """Saves checked rows in file order, one-off tasks in batches, while the file is read; stops
    saving (but not checking) at the first error, since the whole import will be rolled back."""

    def __init__(self, plan: Plan, result: ParseResult, store: PipelinedTaskInserts | None):
        self.plan, self.result, self.store = plan, result, store
        self.taken = codes_in_use(plan)  # read under the plan's lock
        self.batch: list[TaskRow] = []
        self.rows = self.recurring = self.occurrences = 0

    def add(self, row: TaskRow) -> None:
        code = row.fields["code"]
        if code in self.taken:
            message = _("The code “%(code)s” is already used by a task of this plan.")
            self.result.errors.append(
                RowError(
                    message % {"code": code}, row=row.number, column=COLUMN_BY_KEY["code"].label
                )
            )
        if self.result.errors:
            self.batch = []
            return
        self.rows += 1
        if not row.dates:
            self.batch.append(row)
            if len(self.batch) >= BATCH_SIZE:
                self.flush()
            return
        self.flush()
        if self.store is not None:
            self.store.pause()
        insert_task(
            plan=self.plan,
            content=row.content,
            fields=row.fields,
            coordinating=row.coordinating,
            dates=row.dates,
        )
        self.recurring += 1
        self.occurrences += len(row.dates)

    def flush(self) -> None:
        if self.result.errors:
            pass
        elif self.store is not None:
            self.store.insert(self.batch)
        else:
            _bulk_insert(self.plan, self.batch)
        self.batch = []


def _store(plan: Plan):
    """PostgreSQL saves batches in pipeline mode (xlsx_pg); other databases through the ORM."""
    if connection.vendor == "postgresql":
        return PipelinedTaskInserts(plan)
    return contextlib.nullcontext()


class _RolledBack(Exception):
    pass


def import_tasks(*, actor, plan: Plan, data: bytes) -> ImportResult:
    """Create every task of the file in one transaction, or none and say why.

    One streaming pass: rows are checked and saved in batches as they are read, so memory stays
    flat however long the file is; after the first error nothing more is saved but every row is
    still checked, so the answer lists all errors, and the transaction is rolled back."""
    result = ParseResult()
    try:
        with transaction.atomic():
            # One import at a time per plan, so two uploads cannot both pass the code check.
            Plan.objects.select_for_update().get(pk=plan.pk)
            with _store(plan) as store:
                writer = _Writer(plan, result, store)
                _stream(data, plan, result, sink=writer.add)
                writer.flush()
            if result.errors:
                raise _RolledBack
            audit_log(
                actor=actor,
                action="plans.tasks_import",
                obj=plan,
                agency=plan.issuing_agency,
                changes={
                    "rows": writer.rows,
                    "recurring": writer.recurring,
                    "occurrences": writer.occurrences,
                    "sha256": hashlib.sha256(data).hexdigest(),
                },
            )
    except _RolledBack:
        return ImportResult(errors=result.errors)
    return ImportResult(created=writer.rows, occurrences=writer.occurrences)
