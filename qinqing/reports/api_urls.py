from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("reports/ranking-lists", api.RankingListViewSet, basename="reports-ranking-list")
router.register("reports/outputs", api.OutputViewSet, basename="reports-output")
router.register("reports/fic-ratings", api.FicRatingViewSet, basename="reports-fic-rating")

urlpatterns = [
    path("reports/figures/", api.FiguresView.as_view(), name="reports-figures"),
    path("reports/figures/<str:key>/", api.FigureRecordsView.as_view(), name="reports-figure"),
    path("reports/dashboard/", api.DashboardView.as_view(), name="reports-dashboard"),
    path("reports/rankings/", api.RankingView.as_view(), name="reports-rankings"),
    path("reports/summaries/<str:code>/<int:year>/", api.SummaryView.as_view(), name="reports-summary"),
    *router.urls,
]
