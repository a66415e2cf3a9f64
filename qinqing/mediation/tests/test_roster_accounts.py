"""A mediator beyond the demo one gets an account only through the normal two-person account request (a 系统管理员
proposes, a 安全管理员 approves); until then the roster refuses them, afterwards they are listed and see only the
cases assigned to them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinqing.accounts.actions import approve_request, propose_account
from qinqing.accounts.models import User
from qinqing.mediation import actions
from qinqing.mediation.permissions import visible_cases

from . import factories

pytestmark = pytest.mark.django_db


def test_given_a_new_mediator_when_the_account_is_approved_then_roster_and_cases_follow(tree, users, med):
    request = propose_account(actor=users.sys_admin, username="mediator_li", name="李调解", role="mediator",
                              org=tree.chamber_a, password="Qinqing-Mediator-2026!")  # fmt: skip
    # Proposed is not an account: nothing to put on the roster yet
    assert not User.objects.filter(username="mediator_li").exists()
    with pytest.raises(ValidationError):
        actions.add_to_roster(med.committee, actor=users.secretary, user=None)
    # The proposer cannot approve their own request; the 安全管理员 does
    with pytest.raises(PermissionDenied):
        approve_request(request, actor=users.sys_admin)
    mediator = approve_request(request, actor=users.sec_admin)
    assert mediator.role == "mediator" and mediator.org == tree.chamber_a

    entry = actions.add_to_roster(med.committee, actor=users.secretary, user=mediator, specialities=["loan"])
    assert entry.is_active and entry.specialities == ["loan"]
    case = factories.court_case(tree, users, court_case_number="R-2")
    assert not visible_cases(mediator).filter(pk=case.pk).exists()
    actions.assign_mediator(case, actor=users.secretary, mediator=mediator)
    assert list(visible_cases(mediator)) == [case]
