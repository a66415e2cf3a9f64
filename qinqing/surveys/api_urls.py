from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("surveys/surveys", api.SurveyViewSet, basename="surveys-survey")
router.register("surveys/responses", api.ResponseViewSet, basename="surveys-response")

urlpatterns = [
    path("surveys/public/<str:token>/", api.PublicAnswerView.as_view(), name="surveys-public-answer"),
    *router.urls,
]
