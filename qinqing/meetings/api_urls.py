from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("meetings", api.MeetingViewSet, basename="meetings-meeting")

urlpatterns = [path("meetings/figures/", api.MeetingFiguresView.as_view(), name="meetings-figures"), *router.urls]
