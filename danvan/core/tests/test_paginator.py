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
