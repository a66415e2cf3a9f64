from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("activities/activities", api.ActivityViewSet, basename="activities-activity")
router.register("activities/registrations", api.RegistrationViewSet, basename="activities-registration")
router.register("activities/jobs", api.JobViewSet, basename="activities-job")

urlpatterns = [path("activities/figures/", api.FiguresView.as_view(), name="activities-figures"), *router.urls]
