from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("health/results", api.ResultViewSet, basename="health-result")
router.register("health/enterprises", api.DiagnosisViewSet, basename="health-diagnosis")
router.register("health/supplements", api.SupplementViewSet, basename="health-supplement")
router.register("health/versions", api.VersionViewSet, basename="health-version")
router.register("health/runs", api.RunViewSet, basename="health-run")
router.register("health/visits", api.VisitViewSet, basename="health-visit")

urlpatterns = [path("health/figures/", api.FiguresView.as_view(), name="health-figures"), *router.urls]
