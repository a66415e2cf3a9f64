"""Extension requests follow the department and deadline they were asked for."""

import pytest

from qinqing.appeals import actions
from qinqing.appeals.models import ExtensionRequest
from qinqing.core.models import AuditEntry
from qinqing.notifications.models import Notification


@pytest.fixture
def dept_tax(tree):
    from qinqing.accounts.actions import create_user
    from qinqing.orgs.actions import create_organization

    dept = create_organization(kind="department", name="岳阳县税务局", region_code="430621", parent=tree.county_a)
    liaison = create_user(
        username="tax", name="税务联络员", role="dept_liaison", org=dept, password="Qinqing@2026!",
        must_change_password=False,
    )  # fmt: skip
    return dept, liaison


def test_given_pending_extension_when_department_returns_then_request_cancelled_and_next_department_may_ask(
    assigned, users, dept_tax, django_capture_on_commit_callbacks
):
    dept, tax_liaison = dept_tax
    # Given the first department asked for 3 more working days, undecided
    stale = actions.request_extension(assigned, actor=users.liaison, days=3, reason="需要省厅批复")
    # When it returns the appeal and the FIC dispatches it to the tax bureau
    with django_capture_on_commit_callbacks(execute=True):
        appeal = actions.return_appeal(assigned, actor=users.liaison, reason="不属于我局职责")
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=dept)
    due = appeal.reply_due
    # Then the stale request is withdrawn (audited, its requester told) and cannot be approved any more
    stale.refresh_from_db()
    assert stale.status == ExtensionRequest.CANCELLED
    assert AuditEntry.objects.filter(action="appeals.cancel_extension", object_id=str(stale.pk)).exists()
    told = Notification.objects.get(recipient=users.liaison, kind="appeals.cancel_extension")
    assert "延期申请已撤销" in told.title
    with pytest.raises(actions.AppealError, match="已撤销"):
        actions.decide_extension(stale, actor=users.county_staff, approve=True)
    appeal.refresh_from_db()
    assert appeal.reply_due == due and appeal.extension_days == 0
    # And the new department's own request is accepted and, approved, moves its deadline
    fresh = actions.request_extension(appeal, actor=tax_liaison, days=2, reason="需要调取税务档案")
    actions.decide_extension(fresh, actor=users.county_staff, approve=True)
    appeal.refresh_from_db()
    assert appeal.reply_due > due and appeal.extension_days == 2


def test_given_pending_extension_when_enterprise_unsatisfied_then_request_cancelled(assigned, users):
    # Given a request pending when the department replied
    actions.contact_enterprise(assigned, actor=users.liaison, comment="已联系")
    ext = actions.request_extension(assigned, actor=users.liaison, days=3, reason="协调中")
    appeal = actions.reply_appeal(assigned, actor=users.liaison, reply="已答复")
    # When the enterprise is unsatisfied (重办 restarts the clock)
    appeal = actions.record_callback(appeal, actor=users.enterprise, satisfaction=2, solved=False)
    # Then the old request no longer applies to the new deadline
    ext.refresh_from_db()
    assert ext.status == ExtensionRequest.CANCELLED
    actions.request_extension(appeal, actor=users.liaison, days=2, reason="重办需要时间")
    assert appeal.extensions.filter(status=ExtensionRequest.PENDING).count() == 1
