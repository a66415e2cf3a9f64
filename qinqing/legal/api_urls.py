from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("legal/checkups", api.CheckupViewSet, basename="legal-checkup")
router.register("legal/risks", api.RiskViewSet, basename="legal-risk")
router.register("legal/rounds", api.RoundViewSet, basename="legal-round")
router.register("legal/links", api.LinkViewSet, basename="legal-link")
router.register("legal/talks", api.TalkViewSet, basename="legal-talk")
router.register("legal/questionnaires", api.VersionViewSet, basename="legal-version")

urlpatterns = [
    path("legal/figures/", api.FiguresView.as_view(), name="legal-figures"),
    path("legal/questions/<int:pk>/delete/", api.QuestionDeleteView.as_view(), name="legal-question-delete"),
    *router.urls,
]
