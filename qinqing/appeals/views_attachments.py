"""An appeal's attachment, downloaded by someone who may see the appeal (another node's: 404)."""

from qinqing.core.permissions import requires

from . import attachments
from .permissions import VIEW


@requires(VIEW)
def attachment_download(request, pk: int, attachment_id: int):
    attachment = attachments.get_attachment(request.user, pk, attachment_id)
    return attachments.download(attachment, actor=request.user)
