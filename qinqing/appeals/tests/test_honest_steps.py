"""Honest callbacks and clear actors (issue 10, section 3): no preselected answers, steps shown under the
acting unit, the returning liaison lands on their list, the suggested department preselected, the
contact masked with an audited reveal, 再次联系 after 重办, the extension form only when allowed, and the
public status lookup."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals.models import Appeal, AppealEvent
from qinqing.core.models import AuditEntry


def _replied(assigned, users):
    appeal = actions.contact_enterprise(assigned, actor=users.liaison, comment="已电话联系")
    return actions.reply_appeal(appeal, actor=users.liaison, reply="已协调银行放款")


def _selected(page: str, name: str) -> list[str]:
    """The values of the options marked selected in the <select name=...>."""
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert block, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', block.group(1))


# ---------------------------------------------------------------- no preselected answers


def test_callback_and_extension_decision_have_no_preselected_answer(assigned, users, login):
    appeal = _replied(assigned, users)
    for user in (users.enterprise, users.county_staff):
        page = login(user).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
        assert _selected(page, "satisfaction") == [""] and _selected(page, "solved") == [""]
    # Submitting without choosing is refused with a message and changes nothing
    client = login(users.enterprise)
    response = client.post(reverse("appeals:step", args=[appeal.pk, "callback"]), {}, follow=True)
    assert "请选择满意度" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == "replied"


def test_extension_decision_must_be_chosen(assigned, users, login):
    ext = actions.request_extension(assigned, actor=users.liaison, days=3, reason="需现场核查")
    staff = login(users.county_staff)
    page = staff.get(reverse("appeals:detail", args=[assigned.pk])).content.decode()
    assert _selected(page, "approve") == [""]
    response = staff.post(
        reverse("appeals:step", args=[assigned.pk, "decide_extension"]), {"extension": ext.pk}, follow=True
    )
    assert "请选择同意或不同意" in response.content.decode()
    ext.refresh_from_db()
    assert ext.status == "pending"


# ---------------------------------------------------------------- actors


def test_steps_show_the_acting_unit_never_the_fic_for_others(assigned, users, tree, membership, kinds):
    appeal = _replied(assigned, users)
    actions.record_callback(appeal, actor=users.enterprise, satisfaction=5, solved=True)
    units = dict(AppealEvent.objects.filter(appeal=appeal).values_list("action", "actor_org"))
    assert units["register"] == tree.ent_a.name  # the enterprise, not 岳阳县工商联
    assert units["close"] == tree.ent_a.name
    assert units["contact"] == units["reply"] == tree.dept_a.name
    assert units["accept"] == units["assign"] == tree.county_a.name
    chamber_appeal = actions.register_appeal(
        actor=users.secretary,
        enterprise=tree.ent_a,
        appeal_type=kinds.consult,
        domain=kinds.finance,
        title="商会报送",
        description="会员企业反映融资难",
    )
    assert chamber_appeal.events.get(action="register").actor_org == tree.chamber_a.name


# ---------------------------------------------------------------- return and suggested department


def test_given_liaison_returns_then_lands_on_list_and_staff_see_suggestion_preselected(assigned, users, login, tree):
    from qinqing.orgs.actions import create_organization

    other = create_organization(
        kind="department", name="岳阳县人力资源和社会保障局", region_code="430621", parent=tree.county_a
    )
    liaison = login(users.liaison)
    response = liaison.post(
        reverse("appeals:step", args=[assigned.pk, "return"]),
        {"comment": "不属于本单位职责", "suggested_department": other.pk},
    )
    assert response.status_code == 302 and response.url == reverse("appeals:list")
    assert liaison.get(response.url).status_code == 200
    page = login(users.county_staff).get(reverse("appeals:detail", args=[assigned.pk])).content.decode()
    assert _selected(page, "lead_department") == [str(other.pk)]


# ---------------------------------------------------------------- contact masked, reveal audited


def test_handlers_see_contact_masked_and_reveal_is_audited(make_appeal, users, login, tree):
    appeal = make_appeal(contact_name="张三", contact_phone="13800001111")
    appeal = actions.accept_appeal(appeal, actor=users.county_staff)
    appeal = actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)
    # The enterprise sees its own contact in full
    assert "13800001111" in login(users.enterprise).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    # The handling department sees it masked, with a reveal
    liaison = login(users.liaison)
    page = liaison.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "138****1111" in page and "13800001111" not in page and "查看完整联系方式" in page
    response = liaison.post(reverse("appeals:reveal_contact", args=[appeal.pk]))
    assert (
        response.status_code == 200
        and "张三" in response.content.decode()
        and "13800001111" in response.content.decode()
    )
    entry = AuditEntry.objects.get(action="appeals.reveal_contact")
    assert entry.actor_id == users.liaison.pk and "13800001111" not in str(entry.after)
    # A leader sees it masked and may not reveal; GET is not allowed
    leader = login(users.leader)
    assert "查看完整联系方式" not in leader.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert leader.post(reverse("appeals:reveal_contact", args=[appeal.pk])).status_code == 404
    assert login(users.county_staff).get(reverse("appeals:reveal_contact", args=[appeal.pk])).status_code == 405
    assert AuditEntry.objects.filter(action="appeals.reveal_contact").count() == 1


# ---------------------------------------------------------------- 重办 and extensions


def test_after_rehandle_labels_read_again_and_deadline_agrees_with_extensions(assigned, users, login):
    ext = actions.request_extension(assigned, actor=users.liaison, days=3, reason="需现场核查")
    actions.decide_extension(ext, actor=users.county_staff, approve=True)
    appeal = _replied(Appeal.objects.get(pk=assigned.pk), users)
    appeal = actions.record_callback(appeal, actor=users.enterprise, satisfaction=2, solved=False)
    assert appeal.status == "assigned" and appeal.rehandle_count == 1
    page = login(users.liaison).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "再次联系期限" in page and "记录再次联系" in page and "首次联系期限" not in page
    # The reply deadline of the new round does not claim the old round's extension
    assert "已延期" not in page and "重办前同意的延期不再计入" in page
    appeal = actions.contact_enterprise(appeal, actor=users.liaison, comment="再次电话联系")
    assert appeal.events.filter(action="contact").order_by("-id").first().label == "再次联系企业"


def test_extension_form_only_when_an_extension_is_allowed(assigned, users, login, fixed_today):
    liaison = login(users.liaison)
    url = reverse("appeals:detail", args=[assigned.pk])
    assert "申请延期" in liaison.get(url).content.decode()
    actions.request_extension(assigned, actor=users.liaison, days=2, reason="需现场核查")
    assert f'action="/appeals/{assigned.pk}/request_extension/"' not in liaison.get(url).content.decode()
    # Past the reply deadline no form either
    other = Appeal.objects.get(pk=assigned.pk)
    other.extensions.update(status="refused")
    fixed_today(other.reply_due + timedelta(days=1))
    assert 'request_extension/"' not in liaison.get(url).content.decode()


# ---------------------------------------------------------------- public status lookup


@pytest.fixture
def clear_throttles():
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_public_status_lookup_by_number_and_phone(make_appeal, users, client, clear_throttles):
    appeal = actions.accept_appeal(
        make_appeal(contact_name="张三", contact_phone="138-0000-1111"), actor=users.county_staff
    )
    url = reverse("appeals:status")
    assert client.get(url).status_code == 200  # no login
    page = client.post(url, {"number": appeal.number, "phone": "13800001111"}).content.decode()
    assert 'id="status-result"' in page and "已受理" in page and "受理" in page
    assert "张三" not in page and appeal.description not in page  # public progress only
    # A wrong phone or an unknown number answer the same way
    wrong = client.post(url, {"number": appeal.number, "phone": "13900001111"}).content.decode()
    unknown = client.post(url, {"number": "SQ202699999999", "phone": "13800001111"}).content.decode()
    assert "未找到匹配的诉求" in wrong and "未找到匹配的诉求" in unknown and 'id="status-result"' not in wrong


def test_public_status_lookup_is_rate_limited(make_appeal, client, clear_throttles):
    appeal = make_appeal(contact_phone="13800001111")
    url = reverse("appeals:status")
    codes = [client.post(url, {"number": appeal.number, "phone": f"1380000{i:04d}"}).status_code for i in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    # Blocked even with the right phone until the window passes
    assert client.post(url, {"number": appeal.number, "phone": "13800001111"}).status_code == 429


def test_public_status_lookup_through_the_api(make_appeal, users, client, clear_throttles):
    appeal = actions.accept_appeal(make_appeal(contact_phone="13800001111"), actor=users.county_staff)
    r = client.post("/api/v1/appeals/status/", {"number": appeal.number, "phone": "138 0000 1111"})
    body = r.json()
    assert r.status_code == 200 and body["status"] == "accepted" and body["status_label"] == "已受理"
    assert [s["label"] for s in body["steps"]] == ["登记", "受理"] and "contact_name" not in body
    r = client.post("/api/v1/appeals/status/", {"number": appeal.number, "phone": "13900001111"})
    assert r.status_code == 404 and "未找到匹配的诉求" in r.json()["detail"]
    r = client.post("/api/v1/appeals/status/", {"number": appeal.number})
    assert r.status_code == 400 and "phone" in r.json()
    codes = [
        client.post("/api/v1/appeals/status/", {"number": appeal.number, "phone": "13800001111"}).status_code
        for _i in range(10)
    ]
    assert codes[-1] == 429
