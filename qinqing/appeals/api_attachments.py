"""An appeal's attachment through the API: the same scope, audit and headers as the page."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from qinqing.core.api import RolePermission

from . import attachments
from .permissions import VIEW


class AttachmentDownload(APIView):
    permission_classes = [RolePermission]
    required_permission = VIEW

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary=gettext_lazy("下载诉求附件"),
    )
    def get(self, request, pk: int, attachment_id: int):
        attachment = attachments.get_attachment(request.user, pk, attachment_id)
        return attachments.download(attachment, actor=request.user)
