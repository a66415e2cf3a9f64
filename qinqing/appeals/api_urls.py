from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, api_attachments

router = SimpleRouter()
router.register("appeals", api.AppealViewSet, basename="appeals-appeal")

urlpatterns = [
    path("appeals/figures/", api.FiguresView.as_view(), name="appeals-figures"),
    path("appeals/status/", api.PublicStatusView.as_view(), name="appeals-status"),
    path("appeals/<int:pk>/steps/<slug:op>/", api.AppealStepView.as_view(), name="appeals-step"),
    path(
        "appeals/<int:pk>/attachments/<int:attachment_id>/",
        api_attachments.AttachmentDownload.as_view(),
        name="appeals-attachment",
    ),
    *router.urls,
]
