"""Rule terms (pure), then the rule table and the calendar overrides through the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from danvan.core.calendar import WorkingCalendar
from danvan.core.deadlines import CALENDAR, WORKING, DeadlineError, RuleTerms, compute_due_date
from danvan.core.legal_rules_seed import SEED_RULES
from danvan.core.models import CalendarOverride, LegalRule
from danvan.core.selectors import UnknownRuleError, due_date, working_calendar

D = dt.date
# Luật Khiếu nại Đ37: second instance, 45 / 60 complex / 60 remote / 70 remote and complex.
SECOND_INSTANCE = RuleTerms(
    code="complaint.resolve.second",
    period_days=45,
    unit=CALENDAR,
    complex_days=60,
    remote_days=60,
    remote_complex_days=70,
)
# Luật Tố cáo Đ30: 30 days, plus up to two extensions of 30.
DENUNCIATION = RuleTerms(
    code="denunciation.resolve",
    period_days=30,
    unit=CALENDAR,
    extension_days=30,
    max_extensions=2,
)


@pytest.mark.parametrize(
    ("features", "days"),
    [
        ({}, 45),
        ({"complex_case": True}, 60),
        ({"remote": True}, 60),
        ({"remote": True, "complex_case": True}, 70),
    ],
)
def test_it_picks_the_period_for_the_case_features(features, days):
    assert SECOND_INSTANCE.period(**features) == days


def test_it_falls_back_to_the_remote_period_when_no_remote_complex_one_is_set():
    terms = RuleTerms(code="complaint.file.second", period_days=30, unit=CALENDAR, remote_days=45)
    assert terms.period(remote=True, complex_case=True) == 45
    assert terms.period(complex_case=True) == 30


@pytest.mark.parametrize(("extensions", "days"), [(0, 30), (1, 60), (2, 90)])
def test_it_adds_one_extension_length_per_extension(extensions, days):
    assert DENUNCIATION.period(extensions=extensions) == days


@pytest.mark.parametrize(
    ("terms", "extensions"), [(DENUNCIATION, 3), (DENUNCIATION, -1), (SECOND_INSTANCE, 1)]
)
def test_it_refuses_extensions_the_rule_does_not_allow(terms, extensions):
    with pytest.raises(DeadlineError):
        terms.period(extensions=extensions)


def test_it_counts_in_the_unit_the_terms_name():
    calendar = WorkingCalendar()
    working = RuleTerms(code="denunciation.forward", period_days=5, unit=WORKING)
    calendar_days = RuleTerms(code="x", period_days=5, unit=CALENDAR)
    assert compute_due_date(working, D(2026, 2, 13), calendar) == D(2026, 2, 27)
    assert compute_due_date(calendar_days, D(2026, 2, 13), calendar) == D(2026, 2, 23)
    with pytest.raises(DeadlineError):
        compute_due_date(RuleTerms(code="x", period_days=5, unit="weeks"), D(2026, 2, 13), calendar)


@pytest.mark.django_db
def test_it_seeds_every_rule_with_its_law_and_article():
    assert set(LegalRule.objects.values_list("code", flat=True)) >= {r["code"] for r in SEED_RULES}
    for rule in LegalRule.objects.all():
        assert rule.law.strip(), rule.code
        assert rule.article.strip(), rule.code


def _new_version(code: str, valid_from: dt.date, period_days: int) -> LegalRule:
    """Close the open version of `code` the day before `valid_from` and add the new one."""
    old = LegalRule.objects.get(code=code, valid_to__isnull=True)
    old.valid_to = valid_from - dt.timedelta(days=1)
    old.full_clean()
    old.save()
    new = LegalRule(
        code=code,
        title=old.title,
        period_days=period_days,
        unit=old.unit,
        law="Luật 136/2025/QH15",
        article="(test)",
        valid_from=valid_from,
    )
    new.full_clean()
    new.save()
    return new


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "expected", "version"),
    [
        (D(2026, 6, 30), 30, D(2026, 7, 30), "old"),  # last day of the old version
        (D(2026, 7, 1), 20, D(2026, 7, 21), "new"),  # first day of the new one
    ],
)
def test_it_uses_the_rule_version_in_force_on_the_start_date(start, days, expected, version):
    old = LegalRule.objects.get(code="complaint.resolve.first")
    new = _new_version("complaint.resolve.first", D(2026, 7, 1), period_days=20)
    due = due_date("complaint.resolve.first", start)
    assert (due.date, due.days) == (expected, days)
    assert due.rule == {"old": old, "new": new}[version]


@pytest.mark.django_db
def test_it_prefers_the_newest_version_when_an_old_one_was_left_open():
    # Rows written outside the admin skip clean(); the later start must still win, on
    # PostgreSQL too, where a NULL valid_from sorts first in a descending order.
    LegalRule.objects.create(
        code="complaint.resolve.first",
        title="New limits",
        period_days=20,
        unit=CALENDAR,
        law="Luật 136/2025/QH15",
        article="(test)",
        valid_from=D(2026, 7, 1),
    )
    assert due_date("complaint.resolve.first", D(2026, 7, 15)).days == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "start"),
    [("no.such.rule", D(2026, 3, 2)), ("denunciation.resolve", D(2018, 12, 31))],
)
def test_it_refuses_a_rule_not_in_force_on_the_start_date(code, start):
    with pytest.raises(UnknownRuleError, match=code):
        due_date(code, start)


@pytest.mark.django_db
def test_it_refuses_a_rule_whose_last_version_has_ended():
    LegalRule.objects.filter(code="complaint.resolve.first").update(valid_to=D(2026, 6, 30))
    assert due_date("complaint.resolve.first", D(2026, 6, 30)).days == 30
    with pytest.raises(UnknownRuleError):
        due_date("complaint.resolve.first", D(2026, 7, 1))


@pytest.mark.django_db
def test_it_refuses_more_extensions_than_the_rule_allows():
    assert due_date("denunciation.resolve", D(2026, 3, 2), extensions=2).days == 90
    with pytest.raises(DeadlineError):
        due_date("denunciation.resolve", D(2026, 3, 2), extensions=3)


@pytest.mark.django_db
def test_it_does_not_blame_the_maximum_for_a_negative_number_of_extensions():
    with pytest.raises(DeadlineError) as negative:
        due_date("denunciation.resolve", D(2026, 3, 2), extensions=-1)
    with pytest.raises(DeadlineError) as too_many:
        due_date("denunciation.resolve", D(2026, 3, 2), extensions=3)
    assert str(negative.value) != str(too_many.value)


@pytest.mark.django_db
def test_it_applies_calendar_overrides_from_the_database():
    assert working_calendar().is_working_day(D(2026, 3, 9))
    assert due_date("denunciation.forward", D(2026, 3, 6)).date == D(2026, 3, 13)
    CalendarOverride.objects.create(
        date=D(2026, 3, 9), kind=CalendarOverride.Kind.DAY_OFF, name="Extra day off"
    )
    CalendarOverride.objects.create(
        date=D(2026, 3, 14), kind=CalendarOverride.Kind.WORKING_DAY, name="Make-up Saturday"
    )
    calendar = working_calendar()
    assert not calendar.is_working_day(D(2026, 3, 9))
    assert calendar.is_working_day(D(2026, 3, 14))
    # 10, 11, 12, 13, Sat 14.
    assert due_date("denunciation.forward", D(2026, 3, 6)).date == D(2026, 3, 14)


@pytest.mark.django_db
def test_it_refuses_a_rule_version_that_overlaps_another():
    overlapping = LegalRule(
        code="complaint.resolve.first",
        title="New limits",
        period_days=20,
        unit=CALENDAR,
        law="Luật 136/2025/QH15",
        article="(test)",
        valid_from=D(2026, 7, 1),
    )
    with pytest.raises(ValidationError) as caught:
        overlapping.full_clean()
    assert list(caught.value.message_dict) == ["valid_from"]
    LegalRule.objects.filter(code="complaint.resolve.first").update(valid_to=D(2026, 6, 30))
    overlapping.full_clean()
    overlapping.valid_from = D(2026, 6, 30)  # one day shared with the closed version
    with pytest.raises(ValidationError):
        overlapping.full_clean()
