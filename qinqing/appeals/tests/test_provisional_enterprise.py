"""Staff intake for an enterprise not yet in the registry: a provisional record (临时登记) that the
registry completes or merges later."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qinqing.appeals.models import Appeal
from qinqing.core.models import AuditEntry
from qinqing.registry import provisional
from qinqing.registry.models import Enterprise


def _post(client, kinds, **extra):
    data = {
        "credit_code": "岳阳县新开张食品厂",
        "provisional": "on",
        "channel": "hotline",
        "appeal_type": kinds.consult.pk,
        "domain": kinds.finance.pk,
        "title": "开办手续咨询",
        "description": "新办食品厂，咨询许可证办理",
        "contact_name": "赵六",
        "contact_phone": "13600001234",
        **extra,
    }
    return client.post(reverse("appeals:new"), data)


def test_given_unknown_enterprise_when_staff_register_provisionally_then_enterprise_and_appeal(
    users, login, kinds, tree
):
    client = login(users.county_staff)
    # Without the tick the page explains how to proceed, and nothing is made
    page = _post(client, kinds, provisional="").content.decode()
    assert "按企业名称临时登记" in page and not Appeal.objects.exists()
    # With it: a provisional enterprise under the staff's FIC, and the appeal on it
    response = _post(client, kinds, submission_key="p-1")
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    ent = appeal.enterprise
    assert ent.is_provisional and ent.name == "岳阳县新开张食品厂" and ent.credit_code.startswith("LS")
    assert ent.fic == tree.county_a and appeal.org_path == tree.county_a.path
    assert AuditEntry.objects.filter(action="registry.create_provisional_enterprise").count() == 1
    # A repeated submission (same form key) makes neither a second appeal nor a second enterprise
    _post(client, kinds, submission_key="p-1")
    assert Appeal.objects.count() == 1 and Enterprise.objects.filter(is_provisional=True).count() == 1
    # The enterprise form field is only for staff
    assert "provisional" not in login(users.enterprise).get(reverse("appeals:new")).content.decode()


def test_given_refused_appeal_then_no_stray_provisional_enterprise(users, login, kinds):
    client = login(users.county_staff)
    _post(client, kinds, description="长" * 5001)
    assert not Appeal.objects.exists() and not Enterprise.objects.filter(is_provisional=True).exists()


def test_registry_completes_a_provisional_enterprise(users, tree):
    ent = provisional.create_provisional_enterprise(actor=users.county_staff, name="新开张食品厂")
    with pytest.raises(ValidationError, match="已登记为"):
        provisional.complete_provisional(ent, actor=users.county_staff, credit_code=tree.ent_a.credit_code)
    from qinqing.registry.standards import uscc

    code = "91430621MA4L0XY21" + uscc.check_char("91430621MA4L0XY21")
    done = provisional.complete_provisional(ent, actor=users.county_staff, credit_code=code.lower())
    assert not done.is_provisional and done.credit_code == code


def test_registry_merges_a_provisional_enterprise_into_the_registered_one(users, tree, make_appeal):
    from qinqing.meetings import actions as meeting_actions

    ent = provisional.create_provisional_enterprise(actor=users.county_staff, name="洞庭食品（临时）")
    appeal = make_appeal(actor=users.county_staff, enterprise=ent, channel="hotline")
    meeting = meeting_actions.create_meeting(
        actor=users.county_staff,
        kind="talk",
        title="恳谈会",
        day=date(2026, 12, 1),
        host_leader="县长",
        enterprises=[ent, tree.ent_a],
    )
    moved = provisional.merge_provisional(ent, into=tree.ent_a, actor=users.county_staff)
    assert moved["appeals.Appeal"] == 1
    assert Appeal.objects.get(pk=appeal.pk).enterprise == tree.ent_a
    assert list(meeting.enterprises.all()) == [tree.ent_a]  # the duplicate invitation is not doubled
    assert not Enterprise.objects.filter(pk=ent.pk).exists()
    assert AuditEntry.objects.filter(action="registry.merge_provisional").count() == 1
    # Only a provisional record can be merged away, and not by another county
    with pytest.raises(ValidationError):
        provisional.merge_provisional(tree.ent_a, into=tree.ent_a, actor=users.county_staff)


def test_registry_page_completes_or_merges_a_provisional_enterprise(users, tree, login):
    from qinqing.registry.standards import uscc

    client = login(users.county_staff)
    ent = provisional.create_provisional_enterprise(actor=users.county_staff, name="新开张食品厂")
    page = client.get(reverse("registry:enterprise_detail", args=[ent.pk])).content.decode()
    assert "临时登记" in page and 'id="provisional"' in page
    url = reverse("registry:provisional_resolve", args=[ent.pk])
    # A bad code changes nothing and says why
    response = client.post(url, {"op": "complete", "credit_code": "123"}, follow=True)
    assert "统一社会信用代码" in response.content.decode() and Enterprise.objects.get(pk=ent.pk).is_provisional
    code = "91430621MA4L0XY21" + uscc.check_char("91430621MA4L0XY21")
    client.post(url, {"op": "complete", "credit_code": code})
    assert Enterprise.objects.get(pk=ent.pk).credit_code == code
    # Merge: another provisional record into the registered enterprise
    other = provisional.create_provisional_enterprise(actor=users.county_staff, name="洞庭食品")
    response = client.post(
        reverse("registry:provisional_resolve", args=[other.pk]), {"op": "merge", "credit_code": tree.ent_a.credit_code}
    )
    assert response.url == reverse("registry:enterprise_detail", args=[tree.ent_a.pk])
    assert not Enterprise.objects.filter(pk=other.pk).exists()
    # Leaders may not; GET is not allowed
    assert login(users.leader).post(url, {"op": "complete", "credit_code": code}).status_code == 403
    assert login(users.county_staff).get(url).status_code == 405
