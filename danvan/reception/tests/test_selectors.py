import datetime as dt

import pytest

from danvan.org.models import Agency
from danvan.reception.models import ReceptionSession
from danvan.reception.selectors import reception_compliance

pytestmark = pytest.mark.django_db
D = dt.date


def _session(desk, day, *, status="held", kind="regular", role="commune_pc_chair"):
    return ReceptionSession.objects.create(
        agency=desk.agency,
        leader=desk.chair,
        role=role,
        date=day,
        place="Trụ sở",
        status=status,
        kind=kind,
    )


def test_it_applies_the_weekly_rule_until_june_and_the_monthly_rule_from_july(desk):
    _session(desk, D(2026, 6, 2))
    _session(desk, D(2026, 6, 23))
    _session(desk, D(2026, 6, 16), kind="unscheduled")  # on top of the minimum: not counted
    _session(desk, D(2026, 6, 9), status="cancelled")
    _session(desk, D(2026, 7, 7))
    _session(desk, D(2026, 8, 4))
    _session(desk, D(2026, 8, 18))
    [entry] = reception_compliance(
        user=desk.viewer, agency=desk.agency, start=D(2026, 6, 1), end=D(2026, 8, 31)
    )
    assert entry.role == "commune_pc_chair" and entry.leaders == [str(desk.chair)]
    rows = [(r.period_start, r.held, r.required, r.short) for r in entry.rows]
    assert rows == [
        (D(2026, 6, 1), 1, 1, False),
        (D(2026, 6, 8), 0, 1, True),
        (D(2026, 6, 15), 0, 1, True),
        (D(2026, 6, 22), 1, 1, False),
        (D(2026, 6, 29), 0, 1, True),
        (D(2026, 7, 1), 1, 2, True),
        (D(2026, 8, 1), 2, 2, False),
    ]
    assert entry.shortfalls == 4
    assert "Đ15 k2" in entry.rows[0].citation and "136/2025" in entry.rows[-1].citation


def test_a_period_not_over_is_not_yet_a_shortfall(desk):
    [entry] = reception_compliance(
        user=desk.viewer, agency=desk.agency, start=D(2026, 11, 1), end=D(2026, 11, 30)
    )
    [row] = entry.rows
    assert (row.held, row.required, row.in_progress, row.short) == (0, 2, True, False)


def test_it_shows_the_head_role_even_without_any_session(desk):
    entries = reception_compliance(
        user=desk.viewer, agency=desk.agency, start=D(2026, 9, 1), end=D(2026, 9, 30)
    )
    assert [(e.role, e.leaders, e.shortfalls) for e in entries] == [("commune_pc_chair", [], 1)]


def test_it_refuses_an_agency_outside_the_users_scope(desk):
    with pytest.raises(Agency.DoesNotExist):
        reception_compliance(
            user=desk.other_clerk, agency=desk.agency, start=D(2026, 9, 1), end=D(2026, 9, 30)
        )
