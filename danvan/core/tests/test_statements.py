"""A shape's statement from the cache equals the ORM's own compilation, whatever the values."""

import datetime as dt

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q

from danvan.core.statements import ShapeCache, grouping_sets_rows
from danvan.org.models import Agency
from danvan.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _compiled(qs) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _shape(name: str, ids: list[int], since: dt.date | None, page: int):
    qs = Agency.objects.filter(Q(pk__in=ids) | Q(name__contains=name))
    if since:
        qs = qs.filter(valid_from__gte=since)
    return qs.order_by("name", "-id").values_list("id", "name")[page * 10 : page * 10 + 10]


@pytest.mark.parametrize(
    "first,then",
    [
        (("Sở", [1, 2], None, 0), ("Ủy ban", [7, 9], None, 0)),
        (("Sở", [1, 2], dt.date(2026, 1, 1), 1), ("xã", [3, 4], dt.date(2025, 5, 5), 1)),
        (("a", [1], None, 2), ("b", [5], None, 2)),
    ],
)
def test_the_cached_statement_is_the_orms_with_the_new_values(first, then):
    AgencyFactory(name="Sở Nội vụ")
    AgencyFactory(name="Ủy ban xã")
    cache = ShapeCache()
    warm = _shape(*first)
    assert cache.sql_with_params(warm) == _compiled(warm)
    again = _shape(*then)
    expected = _compiled(again)

    def no_compiling():
        raise AssertionError("the whole statement was compiled again")

    again.query.sql_with_params = no_compiling  # a hit compiles the WHERE clause only
    sql, params = cache.sql_with_params(again)
    assert (sql, params) == expected
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == list(_shape(*then))


def test_a_different_shape_or_slice_is_compiled_afresh_and_nothing_matches_raises():
    cache = ShapeCache()
    cache.sql_with_params(_shape("a", [1, 2], None, 0))
    cache.sql_with_params(_shape("a", [1, 2, 3], None, 0))  # three ids: another WHERE text
    cache.sql_with_params(_shape("a", [1, 2], None, 1))  # another slice
    assert len(cache._entries) == 3
    with pytest.raises(EmptyResultSet):
        cache.sql_with_params(Agency.objects.none())
    # No WHERE at all: compiled each time, never cached.
    assert cache.sql_with_params(Agency.objects.order_by("pk"))[0].count("WHERE") == 0
    assert len(cache._entries) == 3


def test_grouping_sets_rows_are_the_groupings_one_by_one_or_none_off_postgresql():
    for i, kind in enumerate(["department", "peoples_committee", "department", "department"]):
        AgencyFactory(kind=kind, name=f"G{i % 2}")
    keys = ("kind", "name")
    grouped = Agency.objects.values(*keys).annotate(n=Count("*")).values_list(*keys, "n").order_by()
    rows = grouping_sets_rows(grouped, [("kind",), ("name",)])
    if connection.vendor != "postgresql":
        assert rows is None
        return
    one_by_one = [
        (kind, None, n)
        for kind, n in Agency.objects.values("kind").annotate(n=Count("*")).values_list("kind", "n")
    ] + [
        (None, name, n)
        for name, n in Agency.objects.values("name").annotate(n=Count("*")).values_list("name", "n")
    ]
    assert sorted(rows, key=repr) == sorted(one_by_one, key=repr)
    assert (None, "G0", 2) in rows and ("department", None, 3) in rows
    with pytest.raises(ValueError, match="does not group by"):
        grouping_sets_rows(grouped, [("code",)])
    assert grouping_sets_rows(grouped.filter(pk__in=[]), [("kind",)]) == []
    assert grouping_sets_rows(grouped.order_by("kind"), [("kind",)]) is None  # not a plain tail
