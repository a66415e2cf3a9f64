from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("registry/enterprises", api.EnterpriseViewSet, basename="registry-enterprise")
router.register("registry/members", api.MemberViewSet, basename="registry-member")
router.register("registry/chambers", api.ChamberViewSet, basename="registry-chamber")

urlpatterns = [
    *router.urls,
    path("registry/figures/", api.YearFiguresList.as_view(), name="registry-figures"),
    path("registry/statistics/", api.StatisticsView.as_view(), name="registry-statistics"),
    path("registry/imports/", api.ImportJobCreate.as_view(), name="registry-import-create"),
    path("registry/imports/<int:pk>/", api.ImportJobDetail.as_view(), name="registry-import-detail"),
]
