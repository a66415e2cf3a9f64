"""The check-up verbs straight through the actions: request → assignment → self-check → visit → report →
整改 → follow-up call, the reminder sweep, a red risk turned appeal, and each refusal leaving nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qinqing.core.models import AuditEntry
from qinqing.legal import actions
from qinqing.legal.choices import FollowStatus, Status
from qinqing.legal.models import Checkup, FirmLink, RiskPoint
from qinqing.notifications.models import Notification

from .conftest import answers_for, link_data, walk_to

pytestmark = pytest.mark.django_db


def test_given_an_enterprise_when_walked_to_the_report_then_every_step_is_recorded_and_audited(legal, tree, users):
    checkup = walk_to("reported", tree, users)

    checkup.refresh_from_db()
    assert checkup.status == Status.REPORTED and checkup.lawyer == users.lawyer and checkup.link == legal.link
    assert checkup.law_firm == tree.lawfirm and checkup.number.startswith("FZ")
    assert checkup.followup_due == checkup.report_on + dt.timedelta(days=30)
    assert checkup.answers.filter(self_answer="partly", lawyer_answer="yes").count() == checkup.answers.count() > 10
    actions_done = set(AuditEntry.objects.filter(object_id=str(checkup.pk), object_type="legal.checkup")
                       .values_list("action", flat=True))  # fmt: skip
    assert {"legal.request_checkup", "legal.assign_checkup", "legal.submit_selfcheck", "legal.record_visit",
            "legal.issue_report"} <= actions_done  # fmt: skip
    assert Notification.objects.filter(recipient=users.lawyer, key__startswith="legal-assign").exists()
    assert Notification.objects.filter(recipient=users.enterprise, key=f"legal-report-{checkup.pk}").exists()


def test_given_a_secretary_when_requesting_for_a_non_member_then_refused_naming_the_enterprise(legal, tree, users):
    with pytest.raises(ValidationError) as exc:
        actions.request_checkup(actor=users.secretary, enterprise=tree.ent_b, data={})
    assert "会员企业" in exc.value.message_dict["enterprise"][0]
    checkup = actions.request_checkup(actor=users.secretary, enterprise=tree.ent_a, data={})
    assert checkup.chamber == tree.chamber_a and checkup.source == "chamber"


def test_given_an_open_checkup_when_requesting_again_then_refused(legal, tree, users):
    walk_to("requested", tree, users)
    with pytest.raises(actions.LegalError, match="进行中"):
        actions.request_checkup(actor=users.enterprise, enterprise=tree.ent_a, data={})
    assert Checkup.objects.count() == 1


def test_given_a_lawyer_without_a_link_when_assigned_then_refused_and_nothing_changes(tree, users):
    from qinqing.registry.models import Member

    Member.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise",
                          enterprise=tree.ent_a, joined_on=dt.date(2020, 1, 1))  # fmt: skip
    checkup = walk_to("requested", tree, users)
    with pytest.raises(ValidationError) as exc:
        actions.assign_checkup(checkup, actor=users.county_staff, lawyer=users.lawyer, visit_on=actions.today())
    assert "万所联万会" in exc.value.message_dict["lawyer"][0]
    checkup.refresh_from_db()
    assert checkup.lawyer is None and checkup.status == Status.REQUESTED


def test_given_a_link_term_ending_before_it_starts_then_refused_naming_the_field(tree, users):
    today = actions.today()
    data = link_data(tree, users, today, starts_on=today, ends_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        actions.save_link(actor=users.county_staff, data=data)
    assert "截止日期不能早于起始日期" in exc.value.message_dict["ends_on"][0]
    assert not FirmLink.objects.exists()


def test_given_a_county_b_chamber_when_county_a_staff_links_it_then_refused(tree, users):
    data = link_data(tree, users, actions.today(), chamber=tree.chamber_b.pk)
    with pytest.raises(ValidationError) as exc:
        actions.save_link(actor=users.county_staff, data=data)
    assert "商会" in exc.value.message_dict["chamber"][0]


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"level": ""}, "level", "风险等级"),
        ({"level": "purple"}, "level", "风险等级"),
        ({"recommendation": "  "}, "recommendation", "整改建议"),
        ({"facts": ""}, "facts", "风险事实"),
        ({"area": 999999}, "area", "领域"),
    ],
)
def test_given_a_risk_point_missing_a_part_when_added_then_refused_naming_the_field(legal, tree, users, over, field,
                                                                                     message):  # fmt: skip
    checkup = walk_to("visited", tree, users)
    area = checkup.version.areas.first()
    data = {"area": area.pk, "level": "orange", "facts": "事实", "recommendation": "建议", **over}
    with pytest.raises(ValidationError) as exc:
        actions.add_risk(checkup, actor=users.lawyer, data=data)
    assert message in exc.value.message_dict[field][0]
    assert not RiskPoint.objects.exists()


def test_given_an_issued_report_when_adding_a_risk_then_refused(legal, tree, users):
    checkup = walk_to("reported", tree, users)
    with pytest.raises(actions.LegalError, match="报告已出具"):
        actions.add_risk(checkup, actor=users.lawyer, data={})


def test_given_a_self_check_missing_an_answer_then_refused_naming_the_question(legal, tree, users):
    checkup = walk_to("requested", tree, users)
    answers = answers_for(checkup)
    missing = next(iter(answers))
    answers[missing] = ("maybe", "")
    with pytest.raises(ValidationError) as exc:
        actions.submit_selfcheck(checkup, actor=users.enterprise, answers=answers)
    assert "第 1 题" in exc.value.message_dict[f"q_{missing}"][0]
    assert not checkup.answers.exists()


def test_given_follow_up_statuses_when_one_is_invalid_then_nothing_is_changed(legal, tree, users):
    checkup = walk_to("reported", tree, users)
    red, yellow = checkup.risks.order_by("pk")
    with pytest.raises(ValidationError) as exc:
        actions.follow_risks(checkup, actor=users.enterprise, items={red.pk: ("done", ""), yellow.pk: ("later", "")})
    assert "整改情况" in exc.value.message_dict[f"risk_{yellow.pk}"][0]
    with pytest.raises(ValidationError) as exc:
        actions.follow_risks(checkup, actor=users.enterprise, items={yellow.pk: ("declined", "")})
    assert "理由" in exc.value.message_dict[f"risk_{yellow.pk}"][0]
    assert set(RiskPoint.objects.values_list("follow_status", flat=True)) == {FollowStatus.PENDING}

    items = {red.pk: ("done", "已补签"), yellow.pk: ("declined", "范本由总部统一制定")}
    actions.follow_risks(checkup, actor=users.enterprise, items=items)
    assert dict(RiskPoint.objects.values_list("pk", "follow_status")) == {red.pk: "done", yellow.pk: "declined"}


def test_given_a_report_when_the_follow_up_falls_due_then_the_lawyer_is_reminded_once(legal, tree, users):
    checkup = walk_to("reported", tree, users)
    assert actions.remind_followups(on=checkup.followup_due - dt.timedelta(days=1)) == {"reminded": 0}
    assert actions.remind_followups(on=checkup.followup_due) == {"reminded": 1}
    assert actions.remind_followups(on=checkup.followup_due) == {"reminded": 0}
    assert Notification.objects.filter(recipient=users.lawyer, key=f"legal-followup-{checkup.pk}").count() == 1

    call = actions.record_call(checkup, actor=users.lawyer, called_on=actions.today(), summary="已补签8份")
    checkup.refresh_from_db()
    assert checkup.status == Status.FOLLOWED and call.lawyer == users.lawyer


def test_given_a_call_dated_before_the_report_then_refused_naming_the_date(legal, tree, users):
    checkup = walk_to("reported", tree, users)
    with pytest.raises(ValidationError) as exc:
        actions.record_call(checkup, actor=users.lawyer, called_on=checkup.report_on - dt.timedelta(days=1),
                            summary="x")  # fmt: skip
    assert "回访日期" in exc.value.message_dict["called_on"][0]


def test_given_a_red_risk_when_turned_into_an_appeal_then_accepted_and_assigned_in_one_step(legal, tree, users):
    checkup = walk_to("reported", tree, users)
    red = checkup.risks.get(level="red")
    yellow = checkup.risks.get(level="yellow")

    appeal = actions.risk_to_appeal(red, actor=users.county_staff, department=tree.dept_a)

    red.refresh_from_db()
    assert red.appeal == appeal and appeal.lead_department == tree.dept_a and appeal.enterprise == tree.ent_a
    with pytest.raises(actions.LegalError, match="红色"):
        actions.risk_to_appeal(yellow, actor=users.county_staff, department=tree.dept_a)
    with pytest.raises(actions.LegalError, match="已转为诉求"):
        actions.risk_to_appeal(red, actor=users.county_staff, department=tree.dept_a)


def test_given_a_staff_round_when_planned_then_one_checkup_per_enterprise_and_busy_ones_skipped(legal, tree, users):
    from qinqing.registry.models import Enterprise

    walk_to("requested", tree, users)
    other = Enterprise.objects.create(credit_code="91430621MA4L000049", name="岳阳县湘北机械有限公司",
                                      fic=tree.county_a, org_path=tree.county_a.path)  # fmt: skip
    rnd = actions.plan_round(actor=users.county_staff, title="2026年度法治体检", enterprises=[tree.ent_a, other])
    assert rnd.skipped == [tree.ent_a.name]
    assert list(rnd.checkups.values_list("enterprise", "source")) == [(other.pk, "round")]
    with pytest.raises(ValidationError):
        actions.plan_round(actor=users.county_staff, title="x", enterprises=[tree.ent_b])


def test_given_a_new_questionnaire_version_then_old_checkups_keep_their_questions(legal, tree, users):
    old = walk_to("reported", tree, users)
    old_questions = old.answers.count()
    draft = actions.new_version(actor=users.city_staff, title="2027版")
    area = draft.areas.get(code="data")
    actions.add_question(draft, actor=users.city_staff, area=area, question="是否开展个人信息保护影响评估？")
    actions.publish_version(draft, actor=users.city_staff)
    with pytest.raises(actions.LegalError, match="已发布"):
        actions.add_question(draft, actor=users.city_staff, area=area, question="再加一题")

    old.refresh_from_db()
    assert old.answers.count() == old_questions and old.version.number == 1
    fresh = actions.plan_round(actor=users.county_staff, title="第二批", enterprises=[tree.ent_a]).checkups.first()
    assert fresh is None or fresh.version == draft  # ent_a's old check-up is reported, so a new one is allowed
    assert actions.current_version() == draft


def test_given_a_talk_by_the_lawyer_then_it_needs_a_linked_chamber_and_attendance(legal, tree, users):
    data = {"date": actions.today(), "topic": "劳动用工风险防范", "attendees": 40,
            "enterprise_codes": [tree.ent_a.credit_code], "chamber": tree.chamber_b.pk}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        actions.save_talk(actor=users.lawyer, data=data)
    assert "商会" in exc.value.message_dict["chamber"][0]
    with pytest.raises(ValidationError) as exc:
        actions.save_talk(actor=users.lawyer, data={**data, "chamber": tree.chamber_a.pk, "attendees": 0})
    assert "参加人数" in exc.value.message_dict["attendees"][0]
    talk = actions.save_talk(actor=users.lawyer, data={**data, "chamber": tree.chamber_a.pk})
    assert talk.org_path == tree.chamber_a.path and talk.law_firm == tree.lawfirm
    assert list(talk.enterprises.all()) == [tree.ent_a]
