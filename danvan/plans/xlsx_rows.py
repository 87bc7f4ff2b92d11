"""One row of the XLSX template → a checked task, or every reason it is not one.

The lookups (contents, agencies, codes already used) are loaded once per file by
`RowParser.for_plan`; checking a row then needs no query.
"""

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.text import fold_text, normalize_text
from danvan.org.models import Agency
from danvan.plans.models import ContentArea, Plan, Task
from danvan.plans.services import validate_task_dates
from danvan.plans.xlsx import COLUMNS, RECURRENCE_ALIASES, RECURRENCE_WORDS, REFERENCE_SHEET

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
# The template's columns, in the order `RowParser.parse` receives a row's cells.
CELL_KEYS = tuple(column.key for column in COLUMNS)
# How many distinct deadline texts a parser remembers (a plan's days, many times over).
SEEN_DATES = 4096


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
                self.in_force.add(agency.id)

    def find(self, text: str) -> Agency:
        agency = self.by_code.get(text.lower())
        if agency is not None and agency.id in self.in_force:
            return agency  # the common case: a code in force
        if agency is None:
            named = self.by_name.get(fold_text(text), [])
            named = [a for a in named if a.id in self.in_force] or named
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
        if agency.id not in self.in_force:
            raise Problem(_("The agency “%(value)s” is no longer in force.") % {"value": text})
        return agency


class RowParser:
    """Checks rows against one plan; remembers codes seen so far to catch duplicates.

    Built once per file: each column's check is a bound method chosen here, the lookups are
    dicts, deadlines already read are remembered, and the model's field rules are compiled
    (`FieldRule`), so a row costs a few dict look-ups and no query or model instance."""

    def __init__(self, *, plan: Plan, contents: dict, agencies: AgencyIndex, taken: set[str]):
        self.plan = plan
        self.contents = contents
        self.agencies = agencies
        self.taken = taken
        self.seen_codes: dict[str, int] = {}
        self.seen_dates: dict[str, dt.date] = {}
        self.rules = field_rules()
        # Each column's check; None: the text as it is, never wrong.
        checks = {
            "content": self._content,
            "code": self._code,
            "title": self._title,
            "description": None,
            "expected_output": None,
            "lead": self._lead,
            "coordinating": self._coordinating,
            "due_on": self._due_on,
            "recurrence": as_recurrence,
            "recurrence_day": as_day,
        }
        self.checks = tuple((key, checks[key]) for key in CELL_KEYS)
        self.number = 0

    @classmethod
    def for_plan(cls, plan: Plan) -> "RowParser":
        agencies = Agency.objects.only("id", "code", "name", "valid_from", "valid_to")
        return cls(
            plan=plan,
            contents={content.number: content for content in plan.contents.all()},
            agencies=AgencyIndex(agencies, timezone.localdate()),
            taken=codes_in_use(plan),
        )

    def parse(self, number: int, cells) -> tuple[TaskRow | None, list[CellError]]:
        """Check one row, its cells in CELL_KEYS order; return the checked row (None if any
        cell is wrong) and every problem found."""
        problems: list[CellError] = []
        self.number = number  # for the code check's "also used in row N"
        values = {}
        for (key, check), value in zip(self.checks, cells, strict=True):
            if check is None:
                values[key] = as_text(value)
                continue
            try:
                values[key] = check(value)
            except Problem as exc:
                problems.append(CellError(key, str(exc)))
                values[key] = None
        dates = self._dates(values, problems)
        if problems:
            return None, problems
        return self._finish(number, values, dates, problems), problems

    def _content(self, value) -> ContentArea:
        if type(value) is int and value in self.contents:
            return self.contents[value]
        number = as_int(value)
        if number is None:
            raise Problem(_("Enter the number of the plan's content, e.g. 1."))
        if number not in self.contents:
            raise Problem(
                _("This plan has no content (%(number)d); see the sheet “%(sheet)s”.")
                % {"number": number, "sheet": REFERENCE_SHEET}
            )
        return self.contents[number]

    def _code(self, value) -> str:
        code = as_text(value)
        if not code:
            return ""
        if code in self.seen_codes:
            raise Problem(
                _("The code “%(code)s” is also used in row %(row)d.")
                % {"code": code, "row": self.seen_codes[code]}
            )
        self.seen_codes[code] = self.number
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
            found.setdefault(agency.id, agency)
        if messages:
            raise Problem(" ".join(messages))
        return list(found.values())

    def _due_on(self, value) -> dt.date:
        """as_date, remembering the texts already read: a file repeats a plan's few hundred
        deadlines on thousands of rows."""
        if type(value) is not str:
            return as_date(value)
        date = self.seen_dates.get(value)
        if date is None:
            date = as_date(value)
            if len(self.seen_dates) < SEEN_DATES:
                self.seen_dates[value] = date
        return date

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
        problems.extend(check_fields(fields, self.rules))
        if problems:
            return None
        coordinating = [a for a in values["coordinating"] if a.id != lead.id]
        return TaskRow(number, values["content"], fields, coordinating, dates)


def check_fields(fields: dict, rules: tuple["FieldRule", ...] | None = None) -> list[CellError]:
    """Task's own field rules (lengths, choices, ranges) on plain values, as `clean_fields` runs
    them, without building a model instance per row; foreign keys were looked up already."""
    problems = []
    for rule in rules or field_rules():
        problems.extend(rule.check(fields[rule.name]))
    return problems


class FieldRule:
    """One model field's `clean`, as `Model.clean_fields` runs it, compiled once: values the
    field plainly accepts (the right type, within its length, range and choices) pass without
    a call into Django; anything else goes through `field.clean`, whose messages are kept."""

    def __init__(self, model_field: models.Field):
        self.field = model_field
        self.name = model_field.name
        self.column = FIELD_COLUMNS[model_field.name]
        self.accepts = _plain_acceptance(model_field)

    def check(self, value) -> list[CellError]:
        field = self.field
        if field.blank and value in field.empty_values:
            return []  # as Model.clean_fields: blank values of blank fields are not checked
        if self.accepts is not None and self.accepts(value):
            return []
        try:
            field.clean(value, None)
        except ValidationError as exc:
            return [CellError(self.column, m) for m in exc.messages]
        return []


# The Python type a field's `to_python` returns unchanged, by field class (most specific first).
_PLAIN_TYPES = (
    (models.DateTimeField, None),  # to_python may convert (time zones): always cleaned
    (models.DateField, dt.date),
    (models.IntegerField, int),
    (models.CharField, str),
    (models.TextField, str),
)


def _plain_acceptance(model_field: models.Field) -> Callable[[object], bool] | None:
    """A test true only of values `model_field.clean` accepts as they are; None if the field
    has a rule this cannot vouch for (then every value is cleaned by Django)."""
    kind = next((t for cls, t in _PLAIN_TYPES if isinstance(model_field, cls)), None)
    if kind is None:
        return None
    lowest = highest = None
    longest = None
    for validator in model_field.validators:
        limit = getattr(validator, "limit_value", None)
        if callable(limit):
            return None
        if type(validator) is validators.MaxLengthValidator:
            longest = limit if longest is None else min(longest, limit)
        elif type(validator) is validators.MinValueValidator:
            lowest = limit if lowest is None else max(lowest, limit)
        elif type(validator) is validators.MaxValueValidator:
            highest = limit if highest is None else min(highest, limit)
        else:
            return None
    choices = {value for value, _label in model_field.flatchoices} if model_field.choices else None
    empty = model_field.empty_values

    def accepts(value) -> bool:
        # Text may be a str subclass (a TextChoices member), which to_python keeps as it is;
        # otherwise the exact type: a bool is no int here, nor a datetime a date.
        if not (isinstance(value, str) if kind is str else type(value) is kind):
            return False
        if value in empty:
            return False
        if choices is not None and value not in choices:
            return False
        if longest is not None and len(value) > longest:
            return False
        if lowest is not None and value < lowest:
            return False
        return highest is None or value <= highest

    return accepts


@functools.cache
def field_rules() -> tuple[FieldRule, ...]:
    return tuple(FieldRule(Task._meta.get_field(name)) for name in FIELD_COLUMNS)


def _cell_errors(exc: ValidationError) -> list[CellError]:
    return [
        CellError(FIELD_COLUMNS.get(name), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
