"""Pages: registration on a phone, the waitlist, cancellation, check-in pages, manual check-in, masking."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from qinqing.activities import actions
from qinqing.activities.models import Activity, Attendance, Registration

from .factories import reg


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_given_staff_when_creating_an_activity_on_the_page_then_saved_with_sessions(users, tree):
    response = _client(users.county_staff).post(reverse("activities:new"), {
        "kind": "ideals", "title": "理想信念教育专题班", "starts_on": "2026-06-01", "ends_on": "2026-06-02",
        "sessions": "2026-06-01 09:00-11:30 开班式\n2026-06-02 参观教育基地", "place": "县委党校",
        "capacity": "40", "waitlist": "on", "registration_open": "on", "organiser": tree.chamber_a.pk,
    })  # fmt: skip

    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.organiser == tree.chamber_a
    assert [(str(s.date), s.title) for s in activity.sessions.all()] == [("2026-06-01", "开班式"),
                                                                        ("2026-06-02", "参观教育基地")]  # fmt: skip


def test_given_staff_when_building_the_audience_with_the_rule_builder_then_the_rule_is_stored_without_json(users, tree):
    client = _client(users.county_staff)
    page = client.get(reverse("activities:new")).content.decode()
    assert 'id="rule-builder"' in page and 'name="audience"' not in page
    base = {"kind": "lecture", "title": "数字化转型讲座", "starts_on": "2026-06-01", "place": "县工商联",
            "capacity": "30", "registration_open": "on", "rule-op": "all", "rule-a1-kind": "leaf",
            "rule-a1-attr": "region", "rule-a1-op": "in", "rule-a1-value": "430621"}  # fmt: skip
    assert client.post(reverse("activities:new"), base).status_code == 302
    rule = Activity.objects.get().audience
    assert rule["op"] == "all" and [(i["attr"], i["op"]) for i in rule["items"]] == [("region", "in")]
    assert "430621" in str(rule["items"][0]["value"])
    edit = client.get(reverse("activities:edit", args=[Activity.objects.get().pk])).content.decode()
    assert 'value="region" selected' in edit or "430621" in edit  # the stored rule is shown back in the builder
    bad = client.post(reverse("activities:new"), {**base, "title": "坏规则", "rule-a1-attr": "employees",
                                                  "rule-a1-op": "ge", "rule-a1-value": "很多"})  # fmt: skip
    assert bad.status_code == 200 and Activity.objects.count() == 1


def test_given_a_chamber_secretary_when_creating_an_activity_then_the_audience_is_the_rule_builder_too(users):
    page = _client(users.secretary).get(reverse("activities:new")).content.decode()
    assert 'id="rule-builder"' in page and 'name="audience"' not in page and "规则格式" not in page


def test_given_end_before_start_on_the_page_when_saved_then_the_field_shows_the_message(users):
    response = _client(users.county_staff).post(reverse("activities:new"), {
        "kind": "training", "title": "x", "starts_on": "2026-06-02", "ends_on": "2026-06-01", "place": "x",
        "capacity": "0"})  # fmt: skip

    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode() or "名额" in response.content.decode()
    assert not Activity.objects.exists()


def test_given_an_enterprise_on_a_phone_when_registering_then_confirmed_and_the_qr_page_shows(training, users):
    client = _client(users.enterprise)
    detail = client.get(reverse("activities:detail", args=[training.pk]))
    assert 'id="register-form"' in detail.content.decode()

    response = client.post(reverse("activities:register", args=[training.pk]),
                           {"attendee_name": "张三", "attendee_phone": "13800000000"}, follow=True)  # fmt: skip

    page = response.content.decode()
    assert "报名成功" in page and 'id="checkin-qr"' in page and "13800000000" in page
    url = re.search(r'data-checkin-url="([^"]+)"', page).group(1)
    svg = client.get(reverse("activities:registration_qr", args=[Registration.objects.get().pk]))
    assert svg["Content-Type"] == "image/svg+xml" and url.startswith("http://testserver/activities/checkin/")


def test_given_registrations_when_staff_list_them_then_names_and_phones_are_masked(training, users, tree):
    reg(training, users, tree, "张三丰", "13812345678")

    page = _client(users.county_staff).get(reverse("activities:detail", args=[training.pk])).content.decode()

    assert "13812345678" not in page and "张三丰" not in page
    assert "张**" in page and "138****5678" in page


def test_given_a_full_activity_when_the_page_cancels_then_the_waitlisted_is_promoted(training, users, tree):
    first = reg(training, users, tree, "甲")
    reg(training, users, tree, "乙")
    waiting = reg(training, users, tree, "丙")

    _client(users.enterprise).post(reverse("activities:registration_cancel", args=[first.pk]))

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_given_a_scanned_link_when_opened_then_confirm_page_and_post_checks_in(training, users, tree):
    registration = reg(training, users, tree, "张三")
    url = actions.checkin_path(registration)
    client = _client(users.county_staff)

    assert "确认签到" in client.get(url).content.decode()
    assert not Attendance.objects.exists()  # opening the link alone changes nothing
    response = client.post(url)

    assert response.status_code == 200 and "签到成功" in response.content.decode()
    assert Attendance.objects.filter(registration=registration).count() == 1
    again = client.post(url)
    assert again.status_code == 400 and Attendance.objects.count() == 1


def test_given_a_damaged_link_when_opened_then_400_with_a_chinese_message(users):
    response = _client(users.enterprise).get(reverse("activities:checkin", args=["not-a-token"]))

    assert response.status_code == 400 and "签到码无效" in response.content.decode()


def test_given_the_session_page_when_staff_check_in_manually_then_recorded(training, users, tree):
    registration = reg(training, users, tree, "张三")
    session = training.sessions.get(date=actions.today())
    client = _client(users.county_staff)

    page = client.get(reverse("activities:session", args=[session.pk])).content.decode()
    client.post(reverse("activities:session_checkin", args=[session.pk]), {"registration": registration.pk})

    assert "data-checkin-url" in page
    assert Attendance.objects.get().method == "manual"


def test_given_the_secretary_when_opening_a_county_activity_then_404_but_own_chamber_activity_opens(
    training, users, tree
):
    own = actions.save_activity(actor=users.secretary, data={"kind": "forum", "title": "会员座谈会",
                                                             "starts_on": actions.today(), "place": "商会",
                                                             "capacity": 20})  # fmt: skip
    client = _client(users.secretary)

    assert client.get(reverse("activities:detail", args=[training.pk])).status_code == 404
    assert client.get(reverse("activities:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("activities:edit", args=[own.pk])).status_code == 200


def test_given_a_chamber_activity_when_a_member_enterprise_lists_then_it_shows_and_others_do_not(users, tree):
    import datetime as dt

    from qinqing.registry.models import Member

    own = actions.save_activity(actor=users.secretary, data={"kind": "lecture", "title": "会员讲座",
                                                             "starts_on": actions.today(), "place": "商会",
                                                             "capacity": 20})  # fmt: skip
    assert own.title not in _client(users.enterprise).get(reverse("activities:list")).content.decode()
    Member.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise",
                          enterprise=tree.ent_a, joined_on=dt.date(2020, 1, 1))  # fmt: skip

    assert own.title in _client(users.enterprise).get(reverse("activities:list")).content.decode()
    assert own.title not in _client(users.enterprise_b).get(reverse("activities:list")).content.decode()


@pytest.mark.django_db
def test_given_the_list_when_staff_open_it_then_a_fixed_number_of_queries(
    training, users, tree, django_assert_max_num_queries
):
    for i in range(5):
        actions.save_activity(actor=users.county_staff, data={"kind": "lecture", "title": f"讲座{i}",
                                                              "starts_on": actions.today(), "place": "x",
                                                              "capacity": 9})  # fmt: skip
    client = _client(users.county_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("activities:list"))
    assert response.status_code == 200 and "讲座4" in response.content.decode()
