"""A paginator whose count stops at a cap: lists over a whole province (hundreds of thousands
of cases) need the first pages fast, not an exact total that costs a full count."""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from danvan.core.statements import ShapeCache

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (SELECT COUNT(*) FROM (… LIMIT cap + 1)); `capped` says the
    real number is larger, and pages beyond the cap are not offered (narrow with the filters)."""

    def __init__(self, *args, cap: int = COUNT_CAP, shapes: ShapeCache | None = None, **kwargs):
        """`shapes`: the call site's `ShapeCache` for its count statement (optional)."""
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.shapes = shapes

    @cached_property
    def _capped_count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return min(len(self.object_list), self.cap + 1)
        # The ORM compiles the capped id list; counting it by hand skips `QuerySet.count()`'s
        # rewrite of the query into an aggregation (a third of the inbox's Python time).
        capped = self.object_list.order_by().values_list("pk")[: self.cap + 1]
        try:
            if self.shapes is not None:
                sql, params = self.shapes.sql_with_params(capped)
            else:
                sql, params = capped.query.sql_with_params()
        except EmptyResultSet:
            return 0
        with connections[capped.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608
            return cursor.fetchone()[0]

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self._capped_count > self.cap
