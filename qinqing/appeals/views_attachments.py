"""An appeal's attachment, downloaded by someone who may see the appeal (another node's: 404)."""

from django.http import Http404

from qinqing.core.permissions import requires

from . import attachments
from .models import AppealAttachment
from .permissions import VIEW, visible_appeals


@requires(VIEW)
def attachment_download(request, pk: int, attachment_id: int):
    # visible_appeals, not readable_appeals: an enterprise reading the master of a merge does not get
    # another enterprise's files.
    try:
        attachment = AppealAttachment.objects.select_related("appeal").get(
            pk=attachment_id, appeal_id=pk, appeal__in=visible_appeals(request.user)
        )
    except AppealAttachment.DoesNotExist:
        raise Http404 from None
    return attachments.download(attachment, actor=request.user)
