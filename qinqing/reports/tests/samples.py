"""County-A report objects for the role × URL matrix and the isolation tests (core isolation_registry)."""

from datetime import date

from qinqing.core.tests.isolation_registry import Sample


def _output(tree, users):
    from qinqing.reports import actions

    return actions.record_output(tree.county_a, actor=users.county_staff, kind="sqmy", title="县A社情民意",
                                 submitted_on=date(2026, 3, 1))  # fmt: skip


def _ranking(tree, users):
    from qinqing.reports import actions

    return actions.publish_ranking(tree.county_a, actor=users.county_staff, metric="revenue", year=2025, top=10)


def _rating(tree, users):
    from qinqing.reports import actions
    from qinqing.reports.models import FicRating

    existing = FicRating.objects.filter(org=tree.county_a, level="city", year=2025).first()
    return existing or actions.record_fic_rating(tree.county_a, actor=users.city_staff, level="city", year=2025)


def _summary(tree, users):
    return {"code": tree.county_a.code, "year": 2025}


SAMPLES = [
    Sample("reports:figure", lambda tree, users: {"key": "registry.members"}, isolated=False),
    Sample("reports:figure_csv", lambda tree, users: {"key": "registry.members"}, isolated=False),
    Sample("reports:output", lambda tree, users: {"pk": _output(tree, users).pk}),
    Sample("reports:ranking", lambda tree, users: {"pk": _ranking(tree, users).pk}),
    Sample("reports:ranking_export", lambda tree, users: {"pk": _ranking(tree, users).pk, "fmt": "xlsx"}),
    Sample("reports:fic_rating_remove", lambda tree, users: {"pk": _rating(tree, users).pk}),
    Sample("reports-fic-rating-detail", lambda tree, users: {"pk": _rating(tree, users).pk}),
    Sample("reports:summary", _summary),
    Sample("reports:summary_export", lambda tree, users: {**_summary(tree, users), "fmt": "docx"}),
    Sample("reports:theme", lambda tree, users: {"key": "0-0"}, isolated=False),
    Sample("reports-summary", _summary),
    Sample("reports-figure", lambda tree, users: {"key": "registry.members"}, isolated=False),
]

COUNTY_A_OBJECTS = {
    "reports.AdvisoryOutput": lambda tree, users: [_output(tree, users)],
    "reports.RankingList": lambda tree, users: [_ranking(tree, users)],
    "reports.FicRating": lambda tree, users: [_rating(tree, users)],
}
