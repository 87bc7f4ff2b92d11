"""How a statutory period is chosen and counted. Pure: the rule's terms come in as data."""

import datetime as dt
from dataclasses import dataclass

from danvan.core.calendar import WorkingCalendar

WORKING = "working"
CALENDAR = "calendar"


class DeadlineError(ValueError):
    """A deadline cannot be computed for the inputs given (the message says why)."""


@dataclass(frozen=True)
class RuleTerms:
    """The numbers of one `LegalRule` version, detached from the database."""

    code: str
    period_days: int
    unit: str
    complex_days: int | None = None
    remote_days: int | None = None
    remote_complex_days: int | None = None
    extension_days: int | None = None
    max_extensions: int = 0

    def period(
        self, *, complex_case: bool = False, remote: bool = False, extensions: int = 0
    ) -> int:
        """Return the number of days that applies to a case with these features."""
        if extensions < 0:
            raise DeadlineError("extensions cannot be negative")
        if extensions > self.max_extensions:
            raise DeadlineError(
                f"rule {self.code} allows at most {self.max_extensions} extension(s)"
            )
        if remote and complex_case and self.remote_complex_days:
            days = self.remote_complex_days
        elif remote and self.remote_days:
            days = self.remote_days
        elif complex_case and self.complex_days:
            days = self.complex_days
        else:
            days = self.period_days
        return days + extensions * (self.extension_days or 0)


def compute_due_date(
    terms: RuleTerms,
    start: dt.date,
    calendar: WorkingCalendar,
    *,
    complex_case: bool = False,
    remote: bool = False,
    extensions: int = 0,
) -> dt.date:
    """Return the last day of the period that starts on `start` under `terms`."""
    days = terms.period(complex_case=complex_case, remote=remote, extensions=extensions)
    if terms.unit == WORKING:
        return calendar.add_working_days(start, days)
    if terms.unit == CALENDAR:
        return calendar.add_calendar_days(start, days)
    raise DeadlineError(f"unknown unit {terms.unit!r}")
