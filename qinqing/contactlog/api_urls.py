from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("contactlog/entries", api.EntryViewSet, basename="contactlog-entry")
router.register("contactlog/matters", api.MatterViewSet, basename="contactlog-matter")
router.register("contactlog/conduct", api.ConductViewSet, basename="contactlog-conduct")

urlpatterns = [path("contactlog/figures/", api.FiguresView.as_view(), name="contactlog-figures"), *router.urls]
