from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("notifications", api.NotificationViewSet, basename="notifications-notification")

urlpatterns = [path("notifications/read/", api.MarkReadView.as_view(), name="notifications-read"), *router.urls]
