"""Setup, registration with the waitlist, cancellation, check-in and jobs, through the actions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qinqing.activities import actions
from qinqing.activities.choices import RegistrationStatus
from qinqing.activities.models import Activity, Attendance
from qinqing.core.models import AuditEntry

from .factories import reg

CONFIRMED, WAITLISTED, CANCELLED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                    RegistrationStatus.CANCELLED)  # fmt: skip


def _data(**over):
    return {"kind": "training", "title": "培训", "starts_on": "2026-05-12", "ends_on": "2026-05-13",
            "place": "会议室", "capacity": 30, **over}  # fmt: skip


def test_given_two_days_without_sessions_when_saved_then_one_session_per_day_and_audited(users):
    activity = actions.save_activity(actor=users.county_staff, data=_data())

    assert [s.date for s in activity.sessions.all()] == [dt.date(2026, 5, 12), dt.date(2026, 5, 13)]
    assert activity.org_path == users.county_staff.org.path
    assert AuditEntry.objects.filter(action="activities.save_activity", object_id=str(activity.pk)).exists()


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"ends_on": "2026-05-11"}, "ends_on", "结束日期不能早于开始日期"),
        ({"capacity": 0}, "capacity", "名额"),
        ({"capacity": -3}, "capacity", "名额"),
        ({"kind": "party"}, "kind", "活动类型"),
        ({"place": "", "online": False}, "place", "地点"),
        ({"online": True, "online_url": ""}, "online_url", "线上参会链接"),
        ({"feedback_url": "javascript:alert(1)"}, "feedback_url", "反馈问卷链接"),
        ({"sessions": [{"date": "2026-05-20"}]}, "sessions", "不在活动日期"),
        ({"audience": {"attr": "nonsense", "op": "eq", "value": 1}}, "audience", ""),
    ],
)
def test_given_bad_setup_when_saved_then_refused_naming_the_field_and_nothing_saved(users, over, field, text):
    with pytest.raises(ValidationError) as caught:
        actions.save_activity(actor=users.county_staff, data=_data(**over))

    assert field in caught.value.message_dict
    assert text in caught.value.message_dict[field][0]
    assert not Activity.objects.exists()


def test_given_a_secretary_when_organising_for_another_node_then_refused(users, tree):
    with pytest.raises(ValidationError) as caught:
        actions.save_activity(actor=users.secretary, data=_data(organiser=tree.county_a))

    assert "organiser" in caught.value.message_dict
    own = actions.save_activity(actor=users.secretary, data=_data())
    assert own.organiser == tree.chamber_a and own.org_path == tree.chamber_a.path


def test_given_a_full_activity_when_registering_then_waitlisted_and_a_cancellation_promotes_the_first(
    training, users, tree
):
    first, second = reg(training, users, tree, "张三"), reg(training, users, tree, "李四")
    third, fourth = reg(training, users, tree, "王五"), reg(training, users, tree, "赵六")

    assert [r.status for r in (first, second, third, fourth)] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    actions.cancel(first, actor=users.enterprise)

    first.refresh_from_db()
    assert first.status == CANCELLED
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == CONFIRMED and third.promoted_at is not None
    assert fourth.status == WAITLISTED
    assert training.registrations.filter(status=CONFIRMED).count() == 2
    assert AuditEntry.objects.filter(action="activities.promote", object_id=str(third.pk)).exists()
    from qinqing.notifications.models import Notification

    assert Notification.objects.filter(recipient=users.enterprise, key=f"activities-promoted-{third.pk}").exists()


def test_given_raised_capacity_when_saved_then_the_waitlist_is_promoted(training, users, tree):
    for name in ("甲", "乙", "丙"):
        reg(training, users, tree, name)

    actions.save_activity(actor=users.county_staff, data={
        "kind": "training", "title": training.title, "starts_on": training.starts_on, "ends_on": training.ends_on,
        "place": training.place, "capacity": 3}, activity=training)  # fmt: skip

    assert training.registrations.filter(status=CONFIRMED).count() == 3


def test_given_capacity_below_the_confirmed_when_saved_then_refused(training, users, tree):
    reg(training, users, tree, "甲"), reg(training, users, tree, "乙")

    with pytest.raises(ValidationError) as caught:
        actions.save_activity(actor=users.county_staff, data={
            "kind": "training", "title": training.title, "starts_on": training.starts_on, "place": "x",
            "ends_on": training.ends_on, "capacity": 1}, activity=training)  # fmt: skip

    assert "capacity" in caught.value.message_dict
    training.refresh_from_db()
    assert training.capacity == 2


def test_given_no_waitlist_when_registering_past_capacity_then_refused_naming_capacity(training, users, tree):
    Activity.objects.filter(pk=training.pk).update(waitlist=False)
    training.refresh_from_db()
    reg(training, users, tree, "甲"), reg(training, users, tree, "乙")

    with pytest.raises(ValidationError) as caught:
        reg(training, users, tree, "丙")

    assert "名额已满" in caught.value.message_dict["capacity"][0]
    assert training.registrations.count() == 2


def test_given_the_same_attendee_when_registering_twice_then_refused(training, users, tree):
    reg(training, users, tree, "张三")

    with pytest.raises(ValidationError) as caught:
        reg(training, users, tree, "张三")

    assert "attendee_name" in caught.value.message_dict


def test_given_an_audience_rule_when_an_enterprise_does_not_meet_it_then_refused_with_the_reason(training, users, tree):
    Activity.objects.filter(pk=training.pk).update(audience={"op": "all", "items": [
        {"attr": "region", "op": "in", "value": ["430623"]}]})  # fmt: skip
    training.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        reg(training, users, tree, "张三")

    assert "目标对象" in caught.value.message_dict["enterprise"][0]


def test_given_a_confirmed_registration_when_its_link_is_scanned_by_staff_then_checked_in_once(training, users, tree):
    registration = reg(training, users, tree, "张三")
    token = actions.make_token(registration)

    attendance = actions.check_in_by_token(token, actor=users.county_staff)

    assert attendance.session.date == actions.today() and attendance.method == "registration_qr"
    with pytest.raises(actions.ActivityError):
        actions.check_in(registration, attendance.session, actor=users.county_staff, method="manual")


def test_given_a_session_link_when_the_enterprise_scans_it_then_its_registration_is_checked_in(training, users, tree):
    registration = reg(training, users, tree, "张三")
    session = training.sessions.get(date=actions.today())

    attendance = actions.check_in_by_token(actions.make_token(session), actor=users.enterprise)

    assert attendance.registration == registration and attendance.method == "session_qr"


def test_given_a_day_outside_the_activity_when_checking_in_then_refused_naming_the_date(
    training, users, tree, monkeypatch
):
    registration = reg(training, users, tree, "张三")
    token = actions.make_token(registration)
    later = training.ends_on + dt.timedelta(days=1)
    monkeypatch.setattr("qinqing.activities.actions.checkin.today", lambda: later)

    with pytest.raises(ValidationError) as caught:
        actions.check_in_by_token(token, actor=users.county_staff)

    assert "token" in caught.value.message_dict  # past the link's last day: expired
    monkeypatch.setattr("qinqing.activities.actions.checkin.today", lambda: training.starts_on - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        actions.check_in(registration, training.sessions.first(), actor=users.county_staff, method="manual")
    assert "不在活动日期" in caught.value.message_dict["checked_in_at"][0]
    assert not Attendance.objects.exists()


def test_given_a_forged_or_foreign_token_when_scanned_then_refused(training, users, tree):
    registration = reg(training, users, tree, "张三")
    token = actions.make_token(registration)

    with pytest.raises(ValidationError):
        actions.check_in_by_token(token[:-2] + "xx", actor=users.county_staff)
    with pytest.raises(actions.ActivityError):
        actions.check_in_by_token(token, actor=users.enterprise_b)
    with pytest.raises(actions.ActivityError):
        actions.check_in_by_token(token, actor=users.county_b_staff)
    assert not Attendance.objects.exists()


def test_given_a_waitlisted_registration_when_checked_in_then_refused(training, users, tree):
    reg(training, users, tree, "甲"), reg(training, users, tree, "乙")
    waiting = reg(training, users, tree, "丙")

    with pytest.raises(actions.ActivityError):
        actions.check_in(waiting, training.sessions.first(), actor=users.county_staff, method="manual")


def test_given_a_job_fair_when_jobs_posted_and_intentions_recorded_then_counted_and_audited(users, tree):
    fair = actions.save_activity(actor=users.county_staff, data=_data(kind="job_fair", title="春风行动招聘会"))

    job = actions.post_job(fair, actor=users.enterprise, enterprise=tree.ent_a,
                           data={"title": "电工", "headcount": 5, "requirements": "持证"})  # fmt: skip
    actions.record_intentions(job, actor=users.county_staff, intentions=3)

    job.refresh_from_db()
    assert (job.headcount, job.intentions) == (5, 3)
    entry = AuditEntry.objects.get(action="activities.record_intentions")
    assert (entry.before, entry.after) == ({"intentions": 0}, {"intentions": 3})
    with pytest.raises(ValidationError) as caught:
        actions.post_job(fair, actor=users.enterprise, enterprise=tree.ent_a, data={"title": "x", "headcount": 0})
    assert "headcount" in caught.value.message_dict
    with pytest.raises(actions.ActivityError):
        actions.post_job(fair, actor=users.enterprise, enterprise=tree.ent_b, data={"title": "x", "headcount": 1})


def test_given_a_training_when_a_job_is_posted_then_refused(training, users, tree):
    with pytest.raises(actions.ActivityError):
        actions.post_job(training, actor=users.enterprise, enterprise=tree.ent_a, data={"title": "x", "headcount": 1})


def test_given_an_audience_rule_when_the_activity_opens_then_only_eligible_enterprises_users_are_notified_once(
    tree, users
):
    from qinqing.accounts.actions import create_user
    from qinqing.core.models import AuditEntry
    from qinqing.notifications.models import Notification
    from qinqing.registry.models import Enterprise

    other = Enterprise.objects.create(credit_code="91430621MA4L0000X1", name="平江县测试企业", fic=tree.county_a,
                                      org_path=tree.county_a.path, region_code="430626")  # fmt: skip
    other_user = create_user(username="ent_other", name="ent_other", role="enterprise", org=tree.county_a,
                             enterprise=other, password="Qinqing@2026!", must_change_password=False)  # fmt: skip
    today = actions.today()
    data = {"kind": "lecture", "title": "知识产权讲座", "starts_on": today, "ends_on": today, "capacity": 50,
            "place": "岳阳县工商联", "audience": {"op": "all", "items": [
                {"attr": "region", "op": "in", "value": ["430621"]}]}}  # fmt: skip
    activity = actions.save_activity(actor=users.county_staff, data=data)

    invited = Notification.objects.filter(key=f"activities-invite-{activity.pk}")
    assert set(invited.values_list("recipient_id", flat=True)) == {users.enterprise.pk}
    assert other_user.pk not in set(invited.values_list("recipient_id", flat=True))
    assert invited.get().url == f"/activities/{activity.pk}/" and "知识产权讲座" in invited.get().title
    assert AuditEntry.objects.filter(action="activities.save_activity").last().after["invited"] == 1
    # Saved again with the same audience: nobody is notified twice; widened to everyone: the other firm now is.
    actions.save_activity(actor=users.county_staff, data={**data, "title": "知识产权讲座（更新）"}, activity=activity)
    assert invited.count() == 1
    actions.save_activity(actor=users.county_staff, data={**data, "audience": {}}, activity=activity)
    assert set(invited.values_list("recipient_id", flat=True)) == {users.enterprise.pk, other_user.pk}


def test_given_registration_closed_when_an_activity_is_saved_then_nobody_is_invited(tree, users):
    from qinqing.notifications.models import Notification

    today = actions.today()
    activity = actions.save_activity(actor=users.county_staff, data={
        "kind": "lecture", "title": "内部讲座", "starts_on": today, "capacity": 5, "place": "会议室",
        "registration_open": False})  # fmt: skip
    assert not Notification.objects.filter(key=f"activities-invite-{activity.pk}").exists()


def test_given_a_chamber_activity_when_staff_register_a_non_member_then_refused_and_a_member_registers(users, tree):
    from qinqing.registry.models import Member

    day = actions.today()
    data = _data(title="会员座谈会", starts_on=day, ends_on=day, registration_open=True)
    forum = actions.save_activity(actor=users.secretary, data=data)
    with pytest.raises(ValidationError) as caught:
        actions.register(forum, actor=users.county_staff, enterprise=tree.ent_a, attendee_name="张三")

    assert "不是" in caught.value.message_dict["enterprise"][0] and tree.chamber_a.name in str(caught.value)
    assert not forum.registrations.exists()
    Member.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise",
                          enterprise=tree.ent_a, joined_on=dt.date(2020, 1, 1))  # fmt: skip
    registration = actions.register(forum, actor=users.county_staff, enterprise=tree.ent_a, attendee_name="张三")
    assert registration.status == CONFIRMED
    Member.objects.filter(enterprise=tree.ent_a).update(left_on=actions.today())
    with pytest.raises(ValidationError):
        actions.register(forum, actor=users.county_staff, enterprise=tree.ent_a, attendee_name="李四")
