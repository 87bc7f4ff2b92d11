"""The statutory minimums seeded by migration 0002, as DOMAIN.md §A gives them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from danvan.reception.models import ReceptionQuota

pytestmark = pytest.mark.django_db


def _rows():
    return {
        (q.role, q.valid_from, q.valid_to): (q.minimum_days, q.period)
        for q in ReceptionQuota.objects.all()
    }


def test_it_seeds_exactly_the_minimums_domain_md_gives():
    assert _rows() == {
        ("commune_pc_chair", None, dt.date(2026, 6, 30)): (1, "week"),
        ("commune_pc_chair", dt.date(2026, 7, 1), None): (2, "month"),
        ("province_pc_chair", None, None): (1, "month"),
        ("province_party_head", dt.date(2025, 11, 23), None): (1, "month"),
        ("commune_party_head", dt.date(2025, 11, 23), None): (2, "month"),
    }


def test_every_seeded_minimum_has_a_citation_and_its_sources():
    for q in ReceptionQuota.objects.all():
        assert q.citation and q.source_keys, q
    by_role = {(q.role, q.period): q for q in ReceptionQuota.objects.all()}
    assert "42/2013/QH13, Đ15 k2" in by_role["commune_pc_chair", "week"].citation
    assert "136/2025/QH15" in by_role["commune_pc_chair", "month"].citation
    assert "Đ13" in by_role["province_pc_chair", "month"].citation


def test_the_party_minimums_say_their_start_date_is_unsure():
    for q in ReceptionQuota.objects.filter(role__endswith="party_head"):
        assert q.is_unsure
        assert "11-QĐi/TW" in q.citation and "215-KL/TW" in q.citation
        assert "ngày ký" in q.note and "CHƯA CHẮC CHẮN" in q.note


def test_it_refuses_a_second_minimum_in_force_over_the_same_days():
    overlapping = ReceptionQuota(
        role="commune_pc_chair",
        minimum_days=3,
        period="month",
        citation="x",
        valid_from=dt.date(2026, 8, 1),
    )
    with pytest.raises(ValidationError) as exc:
        overlapping.full_clean()
    assert "valid_from" in exc.value.error_dict
