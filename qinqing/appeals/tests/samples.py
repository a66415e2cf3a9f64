"""County-A appeals for the role × URL matrix, the isolation tests and the schema fuzzing (core isolation_registry)."""

from datetime import date
from unittest import mock

from qinqing.core.tests.isolation_registry import Sample

SAMPLE_DAY = date(2026, 11, 16)  # inside a year the shipped calendar covers, whatever the real date


def _appeal(tree, users):
    """An appeal of county A's enterprise, dispatched to county A's department (so its liaison sees it)."""
    from qinqing.appeals import actions
    from qinqing.appeals.models import AppealDomain, AppealType

    with mock.patch.object(actions, "today", lambda: SAMPLE_DAY):
        appeal = actions.register_appeal(
            actor=users.enterprise,
            enterprise=tree.ent_a,
            appeal_type=AppealType.objects.order_by("pk").first(),
            domain=AppealDomain.objects.order_by("pk").first(),
            title="县A企业融资诉求",
            description="贷款审批时间长",
        )
        appeal = actions.accept_appeal(appeal, actor=users.county_staff)
        return actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)


def _attachment(tree, users):
    """A county-A appeal with one attached scan, as the kwargs of the attachment download routes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qinqing.appeals.models import AppealAttachment

    appeal = _appeal(tree, users)
    scan = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    attachment = AppealAttachment.objects.create(
        appeal=appeal, file=scan, name="scan.png", uploaded_by=users.enterprise
    )
    return {"pk": appeal.pk, "attachment_id": attachment.pk}


# GET routes only (the isolation test opens them); POST-only step routes are covered by the role matrix.
SAMPLES = [
    Sample("appeals:detail", lambda tree, users: {"pk": _appeal(tree, users).pk}),
    Sample("appeals:attachment", _attachment),
    Sample("appeals-attachment", _attachment),
]

COUNTY_A_OBJECTS = {"appeals.Appeal": lambda tree, users: [_appeal(tree, users)]}
