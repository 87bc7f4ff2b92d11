"""Wide lists count no further than the cap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.core.paginator import CappedPaginator
from danvan.org.models import Agency
from danvan.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_it_counts_up_to_the_cap_and_says_when_there_are_more():
    AgencyFactory.create_batch(7)
    capped = CappedPaginator(Agency.objects.order_by("pk"), 2, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert (capped.count, capped.capped, capped.num_pages) == (5, True, 3)
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"]
    exact = CappedPaginator(Agency.objects.order_by("pk"), 2, cap=50)
    assert (exact.count, exact.capped, exact.num_pages) == (7, False, 4)
    assert [a.pk for a in capped.get_page(3)] == list(
        Agency.objects.order_by("pk").values_list("pk", flat=True)[4:5]
    )


def test_it_counts_filtered_joined_empty_and_plain_lists():
    AgencyFactory.create_batch(4, name="Sở A")
    AgencyFactory.create_batch(3, name="Sở B")
    named = Agency.objects.filter(name="Sở B").order_by("pk")
    assert CappedPaginator(named, 2, cap=5).count == 3
    # A filter through a relation (a join) and an impossible filter (no SQL at all).
    joined = Agency.objects.filter(parent__isnull=True, unit__name__isnull=False)
    assert CappedPaginator(joined, 2).count == joined.count() == 7
    with CaptureQueriesContext(connection) as ctx:
        assert CappedPaginator(Agency.objects.none(), 2).count == 0
        assert CappedPaginator(Agency.objects.filter(pk__in=[]), 2).count == 0
    assert ctx.captured_queries == []
    assert (CappedPaginator(list(range(9)), 2, cap=5).count, CappedPaginator([1], 2).count) == (
        5,
        1,
    )
