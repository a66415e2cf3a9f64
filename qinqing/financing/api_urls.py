from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("financing/needs", api.NeedViewSet, basename="financing-need")
router.register("financing/referrals", api.ReferralViewSet, basename="financing-referral")
router.register("financing/batches", api.BatchViewSet, basename="financing-batch")
router.register("financing/events", api.EventViewSet, basename="financing-event")
router.register("financing/products", api.ProductViewSet, basename="financing-product")
router.register("financing/fix-tasks", api.FixTaskViewSet, basename="financing-fixtask")
router.register("financing/reasons", api.ReasonViewSet, basename="financing-reason")

urlpatterns = [path("financing/figures/", api.FiguresView.as_view(), name="financing-figures"), *router.urls]
