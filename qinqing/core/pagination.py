"""Pagination for lists that can hold millions of rows (a province's enterprises, a city's appeals)."""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most CAP rows (COUNT over a LIMIT subquery) instead of the whole table: a province's
    3 million enterprises page in milliseconds; beyond CAP the page says so and asks for a narrower filter
    (``paginator.capped``, shown by core/partials/_pagination.html)."""

    CAP = 10000
    capped = False

    @cached_property
    def count(self) -> int:
        # Without the ORDER BY, the database may stop after CAP + 1 rows of any index instead of sorting them;
        # without the select_related joins (kept in the LIMIT subquery otherwise) it can count from an index alone.
        rows = self.object_list.order_by()
        if getattr(rows, "_fields", ()) is None:  # a model queryset; values() rows (drill-downs) have no joins to drop
            rows = rows.select_related(None)
        n = rows[: self.CAP + 1].count()
        self.capped = n > self.CAP
        return min(n, self.CAP)


class SearchPaginator(CappedPaginator):
    """A searched list (a word in names or titles) counts at most 1,000 matches: a word matching one row in twelve is
    counted by testing the searched columns of every row read until the cap (12,000 rows for 1,000, 120,000 for
    10,000: 0.2-0.5 s at the province, for appeals and enterprises alike); beyond it the page says so
    (core/partials/_pagination.html) and asks for a narrower search."""

    CAP = 1000
