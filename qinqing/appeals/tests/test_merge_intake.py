"""Merges that warn and stay visible to the merged enterprise; intake that is idempotent, bounded and
finds enterprises by name (issue 10, section 2 and part of 3)."""

import pytest
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals.models import Appeal, AppealEvent
from qinqing.core.models import AuditEntry
from qinqing.notifications.models import Notification


@pytest.fixture
def appeal_b(users, tree, kinds):
    """County B's appeal by another enterprise (different enterprise, different domain)."""
    return actions.register_appeal(
        actor=users.enterprise_b,
        enterprise=tree.ent_b,
        appeal_type=kinds.consult,
        domain=kinds.labour,
        title="招工难",
        description="华容县企业招工困难",
        contact_name="李四",
        contact_phone="13912345678",
    )


# ---------------------------------------------------------------- merge warning and reason


def test_given_different_enterprise_and_domain_when_merging_without_reason_then_refused_and_unchanged(
    make_appeal, appeal_b, users
):
    master = make_appeal("贷款审批慢")
    audits = AuditEntry.objects.count()
    with pytest.raises(actions.AppealError, match=r"企业不同.*诉求领域不同.*请填写合并理由"):
        actions.merge_appeal(appeal_b, actor=users.city_staff, master=master)
    appeal_b.refresh_from_db()
    assert appeal_b.status == "registered" and appeal_b.merged_into is None
    assert AuditEntry.objects.count() == audits
    # With a reason it is merged, and the history says why and what differed
    actions.merge_appeal(appeal_b, actor=users.city_staff, master=master, comment="同一工业园区同一问题")
    event = AppealEvent.objects.get(appeal=appeal_b, action="merge")
    assert "合并理由：同一工业园区同一问题" in event.comment and "企业不同" in event.comment


def test_given_same_enterprise_and_domain_when_merging_then_no_reason_needed(make_appeal, users):
    master, dup = make_appeal("贷款审批慢"), make_appeal("贷款审批太慢")
    assert actions.merge_appeal(dup, actor=users.county_staff, master=master).status == "merged"


def test_merge_warning_on_the_page_names_the_difference(make_appeal, appeal_b, users, login):
    master = make_appeal("贷款审批慢")
    staff = login(users.city_staff)
    response = staff.post(
        reverse("appeals:step", args=[appeal_b.pk, "merge"]), {"master_number": master.number}, follow=True
    )
    assert "企业不同" in response.content.decode()
    assert Appeal.objects.get(pk=appeal_b.pk).status == "registered"


# ---------------------------------------------------------------- the merged enterprise sees the master


def test_given_merge_across_enterprises_then_merged_enterprise_reads_master_progress_masked(
    make_appeal, appeal_b, users, login, django_capture_on_commit_callbacks
):
    master = make_appeal("招工难", contact_name="张三", contact_phone="13800001111")
    with django_capture_on_commit_callbacks(execute=True):
        actions.merge_appeal(appeal_b, actor=users.city_staff, master=master, comment="同一园区")
    # The message to the merged enterprise links to the master appeal
    note = Notification.objects.get(recipient=users.enterprise_b, kind="appeals.merge")
    assert note.url == reverse("appeals:detail", args=[master.pk])
    # It opens read-only: no steps, the other enterprise's contact masked, its own appeal linked
    client = login(users.enterprise_b)
    page = client.get(note.url).content.decode()
    assert 'id="merged-notice"' in page and appeal_b.number in page
    assert "张*" in page and "138****1111" in page and "13800001111" not in page
    assert 'id="steps"' not in page and "查看完整联系方式" not in page
    # It cannot act on it, nor reveal the contact
    client.post(reverse("appeals:step", args=[master.pk, "callback"]), {"satisfaction": 5, "solved": "1"})
    assert Appeal.objects.get(pk=master.pk).status == "registered"
    assert client.post(reverse("appeals:reveal_contact", args=[master.pk])).status_code == 404
    # Its list and the API list still hold only its own appeals; the API detail opens read-only
    assert [a["id"] for a in client.get("/api/v1/appeals/").json()["results"]] == [appeal_b.pk]
    assert client.get(f"/api/v1/appeals/{master.pk}/").status_code == 200
    # An enterprise with nothing merged still gets 404
    other = login(users.enterprise)
    assert other.get(reverse("appeals:detail", args=[appeal_b.pk])).status_code == 404


# ---------------------------------------------------------------- idempotent submission


def _form(kinds, **extra):
    return {
        "appeal_type": kinds.consult.pk,
        "domain": kinds.finance.pk,
        "title": "融资难",
        "description": "贷款审批慢",
        **extra,
    }


def test_given_double_click_on_the_form_then_one_appeal(users, login, kinds):
    client = login(users.enterprise)
    page = client.get(reverse("appeals:new")).content.decode()
    assert 'name="submission_key"' in page and 'type="hidden"' in page
    first = client.post(reverse("appeals:new"), _form(kinds, submission_key="k-123"))
    second = client.post(reverse("appeals:new"), _form(kinds, submission_key="k-123"))
    appeal = Appeal.objects.get()
    assert first.url == second.url == reverse("appeals:detail", args=[appeal.pk])
    # A new form (a new key) makes a new appeal
    client.post(reverse("appeals:new"), _form(kinds, submission_key="k-456"))
    assert Appeal.objects.count() == 2


def test_given_retried_api_request_with_idempotency_key_then_one_appeal(users, login, kinds):
    client = login(users.enterprise)
    body = _form(kinds)
    r1 = client.post("/api/v1/appeals/", body, content_type="application/json", headers={"Idempotency-Key": "r-1"})
    r2 = client.post("/api/v1/appeals/", body, content_type="application/json", headers={"Idempotency-Key": "r-1"})
    assert r1.status_code == 201 and r2.status_code == 200 and r2["Idempotent-Replayed"] == "true"
    assert r1.json()["id"] == r2.json()["id"] and Appeal.objects.count() == 1
    # The same key for a different appeal is a conflict; nothing is made
    r3 = client.post(
        "/api/v1/appeals/",
        {**body, "title": "用工难"},
        content_type="application/json",
        headers={"Idempotency-Key": "r-1"},
    )
    assert r3.status_code == 409 and "Idempotency-Key" in r3.json()["detail"] and Appeal.objects.count() == 1
    # Another user's identical key is theirs alone
    staff = login(users.county_staff)
    r4 = staff.post(
        "/api/v1/appeals/",
        {**body, "credit_code": "", "channel": "hotline"},
        content_type="application/json",
        headers={"Idempotency-Key": "r-1"},
    )
    assert r4.status_code == 400  # (no enterprise given) — the key did not answer with the other's appeal


def test_given_too_long_description_then_clear_message_and_nothing_saved(users, login, kinds, make_appeal):
    client = login(users.enterprise)
    response = client.post(reverse("appeals:new"), _form(kinds, description="长" * 5001))
    page = response.content.decode()
    assert response.status_code == 200 and "诉求内容最多5000字" in page and not Appeal.objects.exists()
    with pytest.raises(actions.AppealError, match="诉求内容最多5000字"):
        make_appeal(description="长" * 5001)
    assert make_appeal(description="长" * 5000).pk


# ---------------------------------------------------------------- staff intake by name


def test_given_staff_types_the_enterprise_name_then_found(users, login, kinds, tree):
    client = login(users.county_staff)
    data = _form(kinds, channel="hotline", contact_name="王五", contact_phone="13700001234")
    response = client.post(reverse("appeals:new"), {**data, "credit_code": tree.ent_a.name})
    assert response.status_code == 302 and Appeal.objects.get().enterprise == tree.ent_a
    # Part of the name works when it is unique; an unknown name is a clear error
    client.post(reverse("appeals:new"), {**data, "credit_code": tree.ent_a.name[3:7], "title": "第二件"})
    assert Appeal.objects.count() == 2
    page = client.post(reverse("appeals:new"), {**data, "credit_code": "不存在的公司"}).content.decode()
    assert "未找到信用代码或名称为“不存在的公司”的企业" in page and Appeal.objects.count() == 2
    # Another county's enterprise is not found by name either
    page = client.post(reverse("appeals:new"), {**data, "credit_code": tree.ent_b.name}).content.decode()
    assert "未找到" in page and Appeal.objects.count() == 2
