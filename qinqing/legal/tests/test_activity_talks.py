"""Legal talks held as activities (activities app, 讲座/培训 on a legal topic) count in legal's figures, and a talk
recorded in legal that stands for such an activity makes it count once, not twice."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from qinqing.core.figures import Period
from qinqing.core.figures import get as figure
from qinqing.legal import actions
from qinqing.legal import figures as legal_figures

pytestmark = pytest.mark.django_db


def _activity(users, **over):
    from qinqing.activities import actions as activity_actions

    data = {"kind": "lecture", "title": "民法典与企业合同风险讲座", "starts_on": actions.today(),
            "place": "县工商联会议室", "capacity": 50, **over}  # fmt: skip
    return activity_actions.save_activity(actor=users.county_staff, data=data)


def _talks(tree, figure_key="legal.talks", **dims):
    period = Period(actions.today().replace(month=1, day=1), actions.today())
    return legal_figures.value(figure(figure_key), tree.county_a.path, period, dims)


def _total(tree, **dims):
    return _talks(tree, "legal.talks", **dims) + _talks(tree, "legal.activity_talks", **dims)


def test_given_activities_when_counted_then_only_legal_lectures_and_trainings(legal, tree, users):
    from qinqing.activities import actions as activity_actions

    lecture = _activity(users)
    _activity(users, kind="training", title="企业合规管理培训班")
    _activity(users, kind="training", title="电商直播培训班")  # not a legal topic
    _activity(users, kind="forum", title="法律服务座谈会")  # not a talk
    assert _talks(tree, "legal.activity_talks") == 2
    records = legal_figures.records(figure("legal.activity_talks"), tree.county_a.path,
                                    Period(actions.today(), actions.today()), {})  # fmt: skip
    assert sorted(records.values_list("title", flat=True)) == ["企业合规管理培训班", "民法典与企业合同风险讲座"]

    # Attendance at those talks is counted too
    reg = activity_actions.register(lecture, actor=users.enterprise, enterprise=tree.ent_a, attendee_name="张三")
    activity_actions.check_in(reg, lecture.sessions.first(), actor=users.county_staff, method="manual")
    assert _talks(tree, "legal.activity_talk_attendance") == 1

    with override_settings(LEGAL_TALK_KEYWORDS=["直播"]):  # the topic words are a setting
        assert _talks(tree, "legal.activity_talks") == 1
    assert _talks(tree, "legal.activity_talks", law_firm=tree.lawfirm.pk) is None  # no law firm on an activity


def test_given_a_talk_recorded_for_an_activity_when_counted_then_once_not_twice(legal, tree, users, login):
    lecture = _activity(users)
    assert (_talks(tree), _talks(tree, "legal.activity_talks"), _total(tree)) == (0, 1, 1)

    client = login(users.county_staff)
    form = client.get("/legal/talks/new/").content.decode()
    assert "民法典与企业合同风险讲座" in form
    response = client.post("/legal/talks/new/", {"date": str(actions.today()), "topic": "民法典讲座",
                                                 "lawyer": users.lawyer.pk, "attendees": 45,
                                                 "activity": lecture.pk})  # fmt: skip
    assert response.status_code == 302
    talk = lecture.legal_talk
    assert talk.attendees == 45
    assert (_talks(tree), _talks(tree, "legal.activity_talks"), _total(tree)) == (1, 0, 1)
    assert "民法典与企业合同风险讲座" in client.get(response["Location"]).content.decode()
    assert "民法典与企业合同风险讲座" not in client.get("/legal/talks/new/").content.decode()

    # The same activity cannot stand behind a second talk; a non-legal activity cannot be linked
    with pytest.raises(ValidationError) as err:
        actions.save_talk(actor=users.county_staff, data={"date": actions.today(), "topic": "重复", "attendees": 5,
                                                          "activity": lecture.pk})  # fmt: skip
    assert "已由另一条讲座记录关联" in err.value.message_dict["activity"][0]
    other = _activity(users, kind="training", title="电商直播培训班")
    with pytest.raises(ValidationError) as err:
        actions.save_talk(actor=users.county_staff, data={"date": actions.today(), "topic": "x", "attendees": 5,
                                                          "activity": other.pk})  # fmt: skip
    assert "activity" in err.value.message_dict
    assert _total(tree) == 1

    # An activity of another county is not offered and cannot be linked
    county_a_lecture = _activity(users, title="普法讲座")
    with pytest.raises(ValidationError):
        actions.save_talk(actor=users.county_b_staff, data={"date": actions.today(), "topic": "x", "attendees": 5,
                                                            "activity": county_a_lecture.pk})  # fmt: skip


def test_given_the_api_when_a_talk_names_its_activity_then_linked_and_counted_once(legal, tree, users):
    from .test_api import _api

    lecture = _activity(users)
    response = _api(users.county_staff).post("/api/v1/legal/talks/", {
        "date": str(actions.today()), "topic": "民法典讲座", "attendees": 30, "activity": lecture.pk},
        format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["activity"] == lecture.pk
    assert _total(tree) == 1
