"""The capped paginator counts without the list's joins, and counts values() rows too (the figure drill-downs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.core.pagination import CappedPaginator
from qinqing.orgs.models import Organization


@pytest.mark.django_db
def test_given_a_list_with_select_related_when_counting_then_no_join_is_read(tree):
    rows = Organization.objects.select_related("parent").order_by("path")
    with CaptureQueriesContext(connection) as ctx:
        count = CappedPaginator(rows, 30).count
    assert count == Organization.objects.count()
    assert "JOIN" not in ctx.captured_queries[-1]["sql"].upper()


@pytest.mark.django_db
def test_given_values_rows_when_counting_then_they_are_counted(tree):
    rows = Organization.objects.values("pk", "name").order_by("path")
    assert CappedPaginator(rows, 30).count == Organization.objects.count()
    assert CappedPaginator(Organization.objects.values_list("pk", flat=True), 30).count == rows.count()
