"""Representatives of a group visit, without a database."""

import pytest

from danvan.reception.groups import CITATION, IS_UNSURE, check_representatives


@pytest.mark.parametrize(
    ("people", "representatives", "problem"),
    [
        (1, 0, None),
        (4, 0, None),  # fewer than 5: no representative needed
        (4, 5, "more_than_group"),
        (5, 0, "too_few"),
        (5, 1, None),
        (7, 2, None),
        (7, 3, "too_many"),
        (10, 2, None),
        (10, 3, "too_many"),
        (11, 3, None),
        (12, 5, None),
        (12, 6, "too_many"),
        (12, 0, "too_few"),
    ],
)
def test_it_checks_the_number_of_representatives(people, representatives, problem):
    found = check_representatives(people, representatives)
    assert (found.code if found else None) == problem


def test_it_reports_the_allowed_range():
    found = check_representatives(12, 6)
    assert (found.minimum, found.maximum, found.given) == (1, 5, 6)


def test_the_rule_carries_its_citation_and_doubt():
    assert "Đ8 k4" in CITATION and "75/2012" in CITATION and "124/2020" in CITATION
    assert IS_UNSURE
