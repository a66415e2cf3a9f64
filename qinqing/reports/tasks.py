"""Background work of the report pages: a snapshot's recount, and the province's and cities' default pages
kept counted (qinqing.reports.snapshots)."""

from django_tasks import task

from .snapshots import WARM_SECONDS


@task()
def recount_report_page(page: str, node_id: int, start: str, end: str, language: str, keys: list[str]) -> float | None:
    """Recount a page whose snapshot outlived QINQING_FIGURES_SECONDS (the view showed the kept one)."""
    from .snapshots import recount

    return recount(page, node_id, start, end, language, keys)


@task()
def warm_default_pages() -> dict:
    """Count the province's and cities' default report pages before a leader asks, when counting them is
    expensive (a page found cheap is left to its views)."""
    from django.conf import settings
    from django.utils import translation

    from .snapshots import default_targets, warm

    with translation.override(settings.LANGUAGE_CODE):
        return warm(default_targets())


PERIODIC = [(WARM_SECONDS, warm_default_pages)]
