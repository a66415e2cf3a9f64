"""What enterprises and departments can do beyond the main flow: supply requested materials (which
resumes the clock), record a co-handler's contribution; each sees only its own appeals and meetings."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals.models import AppealAttachment, AppealEvent
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


@pytest.fixture
def co_handled(make_appeal, users, tree, dept_tax):
    appeal = actions.accept_appeal(make_appeal(), actor=users.county_staff)
    return actions.assign_appeal(
        appeal, actor=users.county_staff, lead_department=tree.dept_a, co_departments=[dept_tax[0]]
    )


def test_given_paused_appeal_when_enterprise_supplies_materials_on_the_page_then_clock_resumes(
    assigned, users, login, fixed_today, django_capture_on_commit_callbacks
):
    # Given the department paused the appeal asking for the loan contract
    fixed_today(date(2026, 11, 17))
    actions.pause_appeal(assigned, actor=users.liaison, reason="请补充贷款合同")
    client = login(users.enterprise)
    page = client.get(reverse("appeals:detail", args=[assigned.pk])).content.decode()
    assert "提交补充材料" in page
    # When the enterprise uploads it two working days later
    fixed_today(date(2026, 11, 19))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appeals:step", args=[assigned.pk, "supply"]),
            {"comment": "已上传贷款合同", "files": SimpleUploadedFile("贷款合同.pdf", b"%PDF-1.4 demo")},
        )
    # Then the appeal runs again with its deadline moved by the pause, the file is attached,
    # the step is on the enterprise's timeline and the department is told
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert not assigned.is_paused and assigned.reply_due == date(2026, 11, 25)
    assert AppealAttachment.objects.get(appeal=assigned).name == "贷款合同.pdf"
    assert "企业补充材料" in client.get(reverse("appeals:detail", args=[assigned.pk])).content.decode()
    assert Notification.objects.filter(recipient=users.liaison, title__startswith="企业已补充材料").exists()


def test_given_running_or_other_enterprises_appeal_when_supplying_then_refused(assigned, users, login):
    with pytest.raises(actions.AppealError, match="未处于等待企业补充材料"):
        actions.supply_materials(assigned, actor=users.enterprise, comment="材料")
    actions.pause_appeal(assigned, actor=users.liaison, reason="请补充贷款合同")
    url = reverse("appeals:step", args=[assigned.pk, "supply"])
    assert login(users.enterprise_b).post(url, {"comment": "x"}).status_code == 404
    with pytest.raises(actions.AppealError, match="请填写补充说明或上传补充材料"):
        actions.supply_materials(assigned, actor=users.enterprise, comment=" ")
    assigned.refresh_from_db()
    assert assigned.is_paused


def test_given_co_handler_when_recording_contribution_then_lead_and_staff_see_it_enterprise_does_not(
    co_handled, users, login, dept_tax, django_capture_on_commit_callbacks
):
    _dept, tax_liaison = dept_tax
    # Given the co-handling department opens the appeal: it sees the co-handler form, not the lead's steps
    client = login(tax_liaison)
    page = client.get(reverse("appeals:detail", args=[co_handled.pk])).content.decode()
    assert "提交协办意见" in page and "记录首次联系" not in page
    # When it records its contribution
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appeals:step", args=[co_handled.pk, "co_note"]), {"comment": "已核实企业纳税信用A级"})
    # Then the lead department and FIC staff read it, and are told; the enterprise's timeline does not show it
    assert AppealEvent.objects.get(appeal=co_handled, action="co_note").public is False
    for reader in (users.liaison, users.county_staff):
        assert (
            "已核实企业纳税信用A级"
            in login(reader).get(reverse("appeals:detail", args=[co_handled.pk])).content.decode()
        )
    assert (
        "纳税信用" not in login(users.enterprise).get(reverse("appeals:detail", args=[co_handled.pk])).content.decode()
    )
    assert Notification.objects.filter(recipient=users.liaison, title__contains="协办意见").exists()
    # And the co-handler still cannot act as the lead, nor the lead write a co-handler note
    with pytest.raises(actions.AppealError, match="只有主办单位"):
        actions.contact_enterprise(co_handled, actor=tax_liaison, comment="x")
    with pytest.raises(actions.AppealError, match="只有协办单位"):
        actions.record_co_note(co_handled, actor=users.liaison, comment="x")


def test_given_departments_then_each_sees_only_its_own_appeals_and_meetings(
    co_handled, make_appeal, users, tree, login, dept_tax
):
    from qinqing.meetings import actions as meeting_actions

    _dept, tax_liaison = dept_tax
    other = actions.accept_appeal(make_appeal("另一件"), actor=users.county_staff)  # not dispatched to anyone
    plan = {"actor": users.county_staff, "kind": "talk", "host_leader": "县长"}
    m_a = meeting_actions.create_meeting(**plan, title="县A恳谈会", day=date(2026, 11, 20), departments=[tree.dept_a])
    meeting_actions.create_meeting(**plan, title="税务专题会", day=date(2026, 11, 21), departments=[_dept])
    # The lead department: its appeal and its meeting only
    r = login(users.liaison).get("/api/v1/appeals/").json()
    assert [a["id"] for a in r["results"]] == [co_handled.pk]
    assert [m["title"] for m in login(users.liaison).get("/api/v1/meetings/").json()["results"]] == ["县A恳谈会"]
    # The co-handler: the co-handled appeal, its own meeting; other appeals and meetings are 404
    client = login(tax_liaison)
    assert [a["id"] for a in client.get("/api/v1/appeals/").json()["results"]] == [co_handled.pk]
    assert client.get(f"/api/v1/appeals/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/meetings/{m_a.pk}/").status_code == 404
    # The sibling county's department sees none of it
    client = login(users.liaison_b)
    assert client.get("/api/v1/appeals/").json()["count"] == 0 and client.get("/api/v1/meetings/").json()["count"] == 0
    assert client.get(reverse("meetings:detail", args=[m_a.pk])).status_code == 404
