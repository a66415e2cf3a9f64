"""Appeal attachments: checked like policy attachments (qinqing.core.uploads) and downloaded only through
an authorised, audited view (the media directory is not served)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qinqing.core import audit, uploads


def check_files(files: Iterable, *, max_bytes: int) -> None:
    """Raise AppealError naming the file unless every upload is an allowed document or scan."""
    from .actions.common import AppealError

    for f in files:
        try:
            uploads.check(f, label=_("附件“%(name)s”") % {"name": f.name}, max_bytes=max_bytes)
        except ValidationError as exc:
            raise AppealError(exc.messages[0]) from None


def get_attachment(user, appeal_pk, attachment_pk):
    """An attachment of an appeal the user may see; 404 for a missing or forbidden one alike.

    visible_appeals, not readable_appeals: an enterprise reading the master of a merge does not get
    another enterprise's files."""
    from django.http import Http404

    from .models import AppealAttachment
    from .permissions import visible_appeals

    try:
        return AppealAttachment.objects.select_related("appeal").get(
            pk=attachment_pk, appeal_id=appeal_pk, appeal__in=visible_appeals(user)
        )
    except (AppealAttachment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def download(attachment, *, actor):
    """The file as a download (attachment, nosniff); the download is audited."""
    response = uploads.download_response(attachment.file, attachment.name)
    audit.record(
        "appeals.download_attachment",
        obj=attachment.appeal,
        actor=actor,
        after={"attachment": attachment.pk, "name": attachment.name},
    )
    return response
