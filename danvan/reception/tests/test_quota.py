"""The minimum arithmetic, without a database."""

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from danvan.reception.quota import (
    MONTH,
    WEEK,
    QuotaTerms,
    period_bounds,
    quota_compliance,
    quota_shortfall,
    role_for_agency,
)

D = dt.date
WEEKLY_UNTIL_JUNE = QuotaTerms(WEEK, 1, None, D(2026, 6, 30), "TCD Đ15 k2")
MONTHLY_FROM_JULY = QuotaTerms(MONTH, 2, D(2026, 7, 1), None, "Luật 136/2025/QH15")


def test_it_counts_weeks_monday_to_sunday_and_distinct_days():
    held = [D(2026, 6, 1), D(2026, 6, 1), D(2026, 6, 3), D(2026, 6, 10)]
    rows = quota_shortfall(held, period=WEEK, minimum=1, start=D(2026, 6, 1), end=D(2026, 6, 21))
    assert [(r.period_start, r.period_end, r.held, r.required) for r in rows] == [
        (D(2026, 6, 1), D(2026, 6, 7), 2, 1),
        (D(2026, 6, 8), D(2026, 6, 14), 1, 1),
        (D(2026, 6, 15), D(2026, 6, 21), 0, 1),
    ]
    assert [r.short for r in rows] == [False, False, True]


def test_it_keeps_whole_periods_at_the_edges_of_the_range():
    rows = quota_shortfall(
        [D(2026, 6, 1)], period=WEEK, minimum=1, start=D(2026, 6, 3), end=D(2026, 6, 3)
    )
    assert rows == [(D(2026, 6, 1), D(2026, 6, 7), 1, 1)]


def test_it_counts_calendar_months_including_february_and_december():
    assert period_bounds(D(2026, 2, 14), MONTH) == (D(2026, 2, 1), D(2026, 2, 28))
    assert period_bounds(D(2026, 12, 31), MONTH) == (D(2026, 12, 1), D(2026, 12, 31))
    rows = quota_shortfall(
        [D(2026, 2, 3), D(2026, 2, 20)],
        period=MONTH,
        minimum=2,
        start=D(2026, 1, 15),
        end=D(2026, 2, 1),
    )
    assert [(r.held, r.required, r.short) for r in rows] == [(0, 2, True), (2, 2, False)]


def test_it_judges_weekly_before_1_7_2026_and_monthly_after():
    # One day in each June week is enough before the switch; in July one day is one short.
    held = [D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 15), D(2026, 6, 22), D(2026, 6, 29)]
    held += [D(2026, 7, 14)]
    periods = quota_compliance(
        held, [WEEKLY_UNTIL_JUNE, MONTHLY_FROM_JULY], start=D(2026, 6, 1), end=D(2026, 7, 31)
    )
    rows = [
        (p.count.period_start, p.count.period_end, p.count.held, p.count.required) for p in periods
    ]
    assert rows == [
        (D(2026, 6, 1), D(2026, 6, 7), 1, 1),
        (D(2026, 6, 8), D(2026, 6, 14), 1, 1),
        (D(2026, 6, 15), D(2026, 6, 21), 1, 1),
        (D(2026, 6, 22), D(2026, 6, 28), 1, 1),
        # The week that starts on Monday 29/6 is judged by the rule in force on 29/6.
        (D(2026, 6, 29), D(2026, 7, 5), 1, 1),
        (D(2026, 7, 1), D(2026, 7, 31), 1, 2),
    ]
    assert [p.citation for p in periods][-2:] == ["TCD Đ15 k2", "Luật 136/2025/QH15"]
    assert [p.count.short for p in periods] == [False] * 5 + [True]


def test_it_does_not_apply_a_quota_to_a_period_that_began_before_it_took_effect():
    party = QuotaTerms(MONTH, 2, D(2025, 11, 23), None, "QĐ 11 / KL 215")
    periods = quota_compliance([], [party], start=D(2025, 11, 1), end=D(2025, 12, 31))
    assert [p.count.period_start for p in periods] == [D(2025, 12, 1)]


def test_it_owes_nothing_where_no_quota_is_in_force():
    assert quota_compliance([], [], start=D(2026, 1, 1), end=D(2026, 12, 31)) == []


def test_it_refuses_a_negative_minimum_and_an_unknown_period():
    with pytest.raises(ValueError):
        quota_shortfall([], period=WEEK, minimum=-1, start=D(2026, 1, 1), end=D(2026, 1, 2))
    with pytest.raises(ValueError):
        period_bounds(D(2026, 1, 1), "year")


def test_it_knows_which_role_heads_which_agency():
    assert role_for_agency("peoples_committee", "commune") == "commune_pc_chair"
    assert role_for_agency("party_committee", "province") == "province_party_head"
    assert role_for_agency("department", "province") == ""


@settings(max_examples=60, deadline=None)
# Found by Hypothesis: 1–2 July fall both in the week of 30/6 (weekly rule) and in July (monthly).
@example({0: [dt.date(2026, 7, 1), dt.date(2026, 7, 2)]}, dt.date(2026, 6, 1), 31, 1, 2)
# A minimum of no day: its periods are never short, even with no day held.
@example({0: []}, dt.date(2026, 6, 1), 60, 0, 0)
@given(
    st.dictionaries(
        st.integers(0, 20),
        st.lists(st.dates(dt.date(2026, 5, 1), dt.date(2026, 9, 30)), max_size=25),
        max_size=8,
    ),
    st.dates(dt.date(2026, 5, 1), dt.date(2026, 8, 31)),
    st.integers(0, 60),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_totals_for_many_leaders_agree_with_the_period_by_period_rule(
    days_by_key, start, span, weekly, monthly
):
    from danvan.reception.quota import QuotaTerms, compliance_totals, quota_compliance

    end = start + dt.timedelta(days=span)
    today = dt.date(2026, 9, 1)
    terms = [
        QuotaTerms("week", weekly, None, dt.date(2026, 6, 30)),
        QuotaTerms("month", monthly, dt.date(2026, 7, 1), None),
    ]
    inside_by_key = {k: [d for d in days if start <= d <= end] for k, days in days_by_key.items()}
    totals = compliance_totals(inside_by_key, terms, start=start, end=end, today=today)
    for key, inside in inside_by_key.items():
        finished = [
            p.count
            for p in quota_compliance(inside, terms, start=start, end=end)
            if p.count.period_end < today
        ]
        expected = (len(finished), sum(c.required for c in finished),
                    sum(1 for c in finished if c.short))  # fmt: skip
        assert totals[key] == expected
