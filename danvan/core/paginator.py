"""A paginator whose count stops at a cap: lists over a whole province (hundreds of thousands
of cases) need the first pages fast, not an exact total that costs a full count."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (SELECT COUNT(*) FROM (… LIMIT cap + 1)); `capped` says the
    real number is larger, and pages beyond the cap are not offered (narrow with the filters)."""

    def __init__(self, *args, cap: int = COUNT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def _capped_count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self._capped_count > self.cap
