"""Reads of foundation data: the working calendar, the rule in force, due dates."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from danvan.core.calendar import WorkingCalendar
from danvan.core.deadlines import DeadlineError, RuleTerms, compute_due_date
from danvan.core.models import CalendarOverride, LegalRule


class UnknownRuleError(LookupError):
    """No `LegalRule` with this code is in force on the date asked."""


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    rule: LegalRule
    days: int

    @property
    def citation(self) -> str:
        return self.rule.citation


def working_calendar() -> WorkingCalendar:
    """Return the statutory calendar with the decreed overrides from the database applied."""
    off, working = [], []
    for day, kind in CalendarOverride.objects.values_list("date", "kind"):
        (off if kind == CalendarOverride.Kind.DAY_OFF else working).append(day)
    return WorkingCalendar(extra_days_off=off, extra_working_days=working)


def legal_rule_in_force(code: str, on: dt.date) -> LegalRule:
    """Return the version of rule `code` in force on `on`, or raise UnknownRuleError."""
    rule = (
        LegalRule.objects.filter(code=code)
        .in_force(on)
        # Newest first; NULL ("since the law took effect") last, which PostgreSQL would
        # otherwise put first in a descending order (SQLite puts it last).
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    if rule is None:
        raise UnknownRuleError(
            _("No legal rule “%(code)s” is in force on %(date)s.")
            % {"code": code, "date": on.strftime("%d/%m/%Y")}
        )
    return rule


def rule_terms(rule: LegalRule) -> RuleTerms:
    return RuleTerms(
        code=rule.code,
        period_days=rule.period_days,
        unit=rule.unit,
        complex_days=rule.complex_days,
        remote_days=rule.remote_days,
        remote_complex_days=rule.remote_complex_days,
        extension_days=rule.extension_days,
        max_extensions=rule.max_extensions,
    )


def due_date(
    rule_code: str,
    start: dt.date,
    *,
    complex_case: bool = False,
    remote: bool = False,
    extensions: int = 0,
    calendar: WorkingCalendar | None = None,
) -> DueDate:
    """Return the due date under the version of `rule_code` in force on `start`."""
    rule = legal_rule_in_force(rule_code, start)
    terms = rule_terms(rule)
    # Checked here, not by translating RuleTerms.period's error, so that each mistake gets
    # its own message: a negative count is not "more than the rule allows".
    if extensions < 0:
        raise DeadlineError(_("The number of extensions cannot be negative."))
    if extensions > rule.max_extensions:
        raise DeadlineError(
            _("Rule “%(code)s” allows at most %(n)d extension(s).")
            % {"code": rule.code, "n": rule.max_extensions}
        )
    days = terms.period(complex_case=complex_case, remote=remote, extensions=extensions)
    due = compute_due_date(
        terms,
        start,
        calendar or working_calendar(),
        complex_case=complex_case,
        remote=remote,
        extensions=extensions,
    )
    return DueDate(date=due, rule=rule, days=days)
