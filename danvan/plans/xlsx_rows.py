"""One row of the XLSX template → a checked task, or every reason it is not one.

The lookups (contents, agencies, codes already used) are loaded once per file by
`RowParser.for_plan`; checking a row then needs no query.
"""

import datetime as dt
import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.text import fold_text, normalize_text
from danvan.org.models import Agency
from danvan.plans.models import ContentArea, Plan, Task
from danvan.plans.services import validate_task_dates
from danvan.plans.xlsx import RECURRENCE_ALIASES, RECURRENCE_WORDS, REFERENCE_SHEET

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
DAY_MONTH_YEAR = re.compile(r"(\d\d)/(\d\d)/(\d{4})")  # DATE_FORMATS[0], written in full
# Model fields whose rules `check_fields` runs → the template column they come from.
FIELD_COLUMNS = {
    "code": "code",
    "title": "title",
    "description": "description",
    "expected_output": "expected_output",
    "due_on": "due_on",
    "recurrence": "recurrence",
    "recurrence_day": "recurrence_day",
}
SEPARATORS = re.compile(r"[,;\n]")


def codes_in_use(plan: Plan) -> set[str]:
    """The codes the plan's tasks (not their occurrences) already carry."""
    return set(
        Task.objects.filter(plan=plan, occurrence_of__isnull=True)
        .exclude(code="")
        .values_list("code", flat=True)
    )


class Problem(Exception):
    """A cell's value cannot be used; the message says why, for people."""


@dataclass(frozen=True)
class CellError:
    key: str | None
    message: str


@dataclass
class TaskRow:
    number: int
    content: ContentArea
    fields: dict
    coordinating: list[Agency]
    dates: list[dt.date]


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return normalize_text(str(value))


def as_int(value) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value).strip("()")
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    raise Problem(_("“%(value)s” is not a whole number.") % {"value": as_text(value)})


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    if not text:
        raise Problem(_("Enter the deadline as dd/mm/yyyy, e.g. 31/12/2026."))
    if match := DAY_MONTH_YEAR.fullmatch(text):
        # The first format without strptime's cost; an impossible day falls through to it.
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            pass
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise Problem(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy, e.g. 31/12/2026.") % {"value": text}
    )


def as_recurrence(value) -> str:
    text = as_text(value)
    recurrence = RECURRENCE_ALIASES.get(_fold_word(text))
    if recurrence is None:
        raise Problem(
            _("“%(value)s” is not a recurrence; use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(RECURRENCE_WORDS)}
        )
    return recurrence


@functools.lru_cache(maxsize=256)
def _fold_word(text: str) -> str:
    """fold_text for the few words a column repeats on every row."""
    return fold_text(text)


def as_day(value) -> int | None:
    day = as_int(value)
    if day is not None and not 1 <= day <= 31:
        raise Problem(_("The day of the month must be between 1 and 31."))
    return day


class AgencyIndex:
    """Agencies by code (any case) and by folded full name, with who is in force today."""

    def __init__(self, agencies, today: dt.date):
        self.by_code: dict[str, Agency] = {}
        self.by_name: dict[str, list[Agency]] = defaultdict(list)
        self.in_force: set[int] = set()
        for agency in agencies:
            self.by_code[agency.code.lower()] = agency
            self.by_name[fold_text(agency.name)].append(agency)
            if (agency.valid_from is None or agency.valid_from <= today) and (
                agency.valid_to is None or agency.valid_to >= today
            ):
                self.in_force.add(agency.pk)

    def find(self, text: str) -> Agency:
        agency = self.by_code.get(text.lower())
        if agency is None:
            named = self.by_name.get(fold_text(text), [])
            named = [a for a in named if a.pk in self.in_force] or named
            if len(named) > 1:
                raise Problem(
                    _("Several agencies are named “%(value)s”; write the agency's code instead.")
                    % {"value": text}
                )
            agency = named[0] if named else None
        if agency is None:
            raise Problem(
                _("No agency has the code or name “%(value)s”; see the sheet “%(sheet)s”.")
                % {"value": text, "sheet": REFERENCE_SHEET}
            )
        if agency.pk not in self.in_force:
            raise Problem(_("The agency “%(value)s” is no longer in force.") % {"value": text})
        return agency


class RowParser:
    """Checks rows against one plan; remembers codes seen so far to catch duplicates."""

    def __init__(self, *, plan: Plan, contents: dict, agencies: AgencyIndex, taken: set[str]):
        self.plan = plan
        self.contents = contents
        self.agencies = agencies
        self.taken = taken
        self.seen_codes: dict[str, int] = {}

    @classmethod
    def for_plan(cls, plan: Plan) -> "RowParser":
        agencies = Agency.objects.only("id", "code", "name", "valid_from", "valid_to")
        return cls(
            plan=plan,
            contents={content.number: content for content in plan.contents.all()},
            agencies=AgencyIndex(agencies, timezone.localdate()),
            taken=codes_in_use(plan),
        )

    def parse(self, number: int, cells: dict) -> tuple[TaskRow | None, list[CellError]]:
        """Return the checked row (None if any cell is wrong) and every problem found."""
        problems: list[CellError] = []

        def read(key, convert, *args):
            try:
                return convert(cells.get(key), *args)
            except Problem as exc:
                problems.append(CellError(key, str(exc)))
                return None

        values = {
            "content": read("content", self._content),
            "code": read("code", self._code, number),
            "title": read("title", self._title),
            "description": as_text(cells.get("description")),
            "expected_output": as_text(cells.get("expected_output")),
            "lead": read("lead", self._lead),
            "coordinating": read("coordinating", self._coordinating),
            "due_on": read("due_on", as_date),
            "recurrence": read("recurrence", as_recurrence),
            "recurrence_day": read("recurrence_day", as_day),
        }
        dates = self._dates(values, problems)
        if problems:
            return None, problems
        return self._finish(number, values, dates, problems), problems

    def _content(self, value) -> ContentArea:
        number = as_int(value)
        if number is None:
            raise Problem(_("Enter the number of the plan's content, e.g. 1."))
        if number not in self.contents:
            raise Problem(
                _("This plan has no content (%(number)d); see the sheet “%(sheet)s”.")
                % {"number": number, "sheet": REFERENCE_SHEET}
            )
        return self.contents[number]

    def _code(self, value, number: int) -> str:
        code = as_text(value)
        if not code:
            return ""
        if code in self.seen_codes:
            raise Problem(
                _("The code “%(code)s” is also used in row %(row)d.")
                % {"code": code, "row": self.seen_codes[code]}
            )
        self.seen_codes[code] = number
        if code in self.taken:
            raise Problem(
                _("The code “%(code)s” is already used by a task of this plan.") % {"code": code}
            )
        return code

    def _title(self, value) -> str:
        title = as_text(value)
        if not title:
            raise Problem(_("Enter the task's title."))
        return title

    def _lead(self, value) -> Agency:
        text = as_text(value)
        if not text:
            raise Problem(_("Enter the lead agency's code."))
        return self.agencies.find(text)

    def _coordinating(self, value) -> list[Agency]:
        found: dict[int, Agency] = {}
        messages = []
        for token in SEPARATORS.split(as_text(value)):
            if not token.strip():
                continue
            try:
                agency = self.agencies.find(token.strip())
            except Problem as exc:
                messages.append(str(exc))
                continue
            found.setdefault(agency.pk, agency)
        if messages:
            raise Problem(" ".join(messages))
        return list(found.values())

    def _dates(self, values: dict, problems: list[CellError]) -> list[dt.date]:
        """Occurrence dates via the service's own rule; its errors become cell errors."""
        checked = {"due_on", "recurrence", "recurrence_day"}
        if any(p.key in checked for p in problems):
            return []
        if values["recurrence"] == Task.Recurrence.NONE:
            values["recurrence_day"] = None
        try:
            return validate_task_dates(
                plan=self.plan,
                due_on=values["due_on"],
                recurrence=values["recurrence"],
                recurrence_day=values["recurrence_day"],
            )
        except ValidationError as exc:
            problems.extend(_cell_errors(exc))
            return []

    def _finish(self, number: int, values: dict, dates, problems) -> TaskRow | None:
        lead = values["lead"]
        fields = {
            "code": values["code"],
            "title": values["title"],
            "description": values["description"],
            "expected_output": values["expected_output"],
            "lead_agency": lead,
            "due_on": values["due_on"],
            "recurrence": values["recurrence"],
            "recurrence_day": values["recurrence_day"],
        }
        problems.extend(check_fields(fields))
        if problems:
            return None
        coordinating = [a for a in values["coordinating"] if a.pk != lead.pk]
        return TaskRow(number, values["content"], fields, coordinating, dates)


def check_fields(fields: dict) -> list[CellError]:
    """Task's own field rules (lengths, choices, ranges) on plain values, as `clean_fields` runs
    them, without building a model instance per row; foreign keys were looked up already."""
    problems = []
    for model_field in _checked_fields():
        value = fields[model_field.name]
        if model_field.blank and value in model_field.empty_values:
            continue  # as Model.clean_fields: blank values of blank fields are not checked
        try:
            model_field.clean(value, None)
        except ValidationError as exc:
            problems.extend(CellError(FIELD_COLUMNS[model_field.name], m) for m in exc.messages)
    return problems


@functools.cache
def _checked_fields() -> tuple:
    return tuple(Task._meta.get_field(name) for name in FIELD_COLUMNS)


def _cell_errors(exc: ValidationError) -> list[CellError]:
    return [
        CellError(FIELD_COLUMNS.get(name), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
