"""Mediation actions: registration and its rules, sessions, outcomes in order, 司法确认, extensions, reminders,
audit and sealing of personal data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from qinqing.core.models import AuditEntry
from qinqing.mediation import actions
from qinqing.mediation.models import Case, Party

from . import factories

pytestmark = pytest.mark.django_db


def test_given_a_court_referral_without_deadline_when_registered_then_the_court_default_applies_and_audited(
    tree, users, med, settings
):
    case = med.case
    assert case.number.startswith(f"TJ{case.received_on.year}")
    assert case.deadline == case.referred_on + dt.timedelta(days=30)
    assert case.mediator == users.mediator
    assert case.parties.count() == 2
    respondent = case.parties.get(role="respondent")
    assert respondent.enterprise == tree.ent_a and respondent.name == tree.ent_a.name
    assert AuditEntry.objects.filter(action="mediation.register_case", object_id=str(case.pk)).exists()
    settings.MEDIATION_COURT_DAYS = 15
    other = factories.court_case(tree, users, court_case_number="(2026)湘0621民诉前调101号")
    assert other.deadline == other.referred_on + dt.timedelta(days=15)


def test_given_a_party_when_saved_then_name_phone_and_address_are_sealed_at_rest(med):
    party = med.case.parties.get(role="applicant")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, address FROM mediation_party WHERE id = %s", [party.pk])
        raw = cursor.fetchone()
    assert "张小明" not in raw[0] and "13800001111" not in raw[1] and "建设路" not in raw[2]
    assert Party.objects.get(pk=party.pk).phone == "13800001111"


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"court_name": ""}, "court_name", "法院名称"),
        ({"court_case_number": ""}, "court_case_number", "法院案号"),
        ({"amount": "-1"}, "amount", "负数"),
        ({"deadline": "FIRST"}, "deadline", "不能早于委派/委托日期"),
        ({"referred_on": None}, "referred_on", "委派/委托日期"),
        ({"received_on": "2999-01-01"}, "received_on", "晚于今天"),
        ({"case_type": "nonsense"}, "case_type", "纠纷类型"),
    ],
)
def test_given_bad_registration_when_registered_then_refused_naming_the_field_and_nothing_changes(
    tree, users, med, over, field, words
):
    if over.get("deadline") == "FIRST":
        over = {"deadline": actions.today() - dt.timedelta(days=6)}
    before = (Case.objects.count(), Party.objects.count(), AuditEntry.objects.count())
    data = factories.court_data(court_case_number="(2026)湘0621民诉前调200号")
    data.update(over)
    with pytest.raises(ValidationError) as info:
        actions.register_case(actor=users.secretary, body=med.committee, data=data, parties=factories.parties())
    assert field in info.value.message_dict
    assert words in " ".join(info.value.message_dict[field])
    assert (Case.objects.count(), Party.objects.count(), AuditEntry.objects.count()) == before


def test_given_parties_without_a_respondent_or_unknown_credit_code_when_registered_then_refused(users, med):
    data = factories.court_data(court_case_number="X-1")
    with pytest.raises(ValidationError, match="被申请人"):
        actions.register_case(actor=users.secretary, body=med.committee, data=data, parties=factories.parties()[:1])
    bad = factories.parties(respondent={"credit_code": "91430621MA4L0000XX"})
    with pytest.raises(ValidationError, match="未在企业库中登记"):
        actions.register_case(actor=users.secretary, body=med.committee, data=data, parties=bad)
    assert not Case.objects.filter(court_case_number="X-1").exists()


def test_given_a_mediator_not_on_the_roster_when_assigned_then_refused(users, med):
    with pytest.raises(ValidationError) as info:
        actions.assign_mediator(med.case, actor=users.secretary, mediator=users.county_staff)
    assert "mediator" in info.value.message_dict


def test_given_an_open_case_when_confirmation_is_requested_then_refused_as_out_of_order(users, med):
    with pytest.raises(actions.MediationError, match="只有调解成功的案件才能申请司法确认"):
        actions.request_confirmation(med.case, actor=users.mediator, data={})
    with pytest.raises(actions.MediationError, match="只有调解成功的案件才有司法确认结果"):
        actions.record_confirmation(med.case, actor=users.mediator, data={"result": "confirmed"})
    med.case.refresh_from_db()
    assert med.case.confirmation == ""


def test_given_a_case_when_settled_and_confirmed_then_the_order_holds_and_each_step_is_audited(tree, users, med):
    case = med.case
    actions.log_session(
        case,
        actor=users.mediator,
        data={"held_on": actions.today(), "mode": "online", "place": "微信视频", "attendees": "双方当事人"},
    )
    with pytest.raises(ValidationError, match="调解协议内容"):
        actions.settle(case, actor=users.mediator, data={"agreement_text": ""})
    actions.settle(case, actor=users.mediator, data={"agreement_text": "一次性支付10万元", "settled_amount": "10"})
    assert case.status == "settled" and case.duration_days == 5 and case.settled_amount == Decimal("10.00")
    with pytest.raises(actions.MediationError, match="已调解成功"):
        actions.log_session(
            case, actor=users.mediator, data={"held_on": actions.today(), "mode": "online", "attendees": "x"}
        )
    with pytest.raises(actions.MediationError):
        actions.fail(case, actor=users.mediator, data={})
    actions.request_confirmation(case, actor=users.mediator, data={})
    assert case.confirmation == "requested" and case.confirmation_court == "岳阳县人民法院"
    with pytest.raises(actions.MediationError, match="已申请过"):
        actions.request_confirmation(case, actor=users.mediator, data={})
    actions.record_confirmation(
        case, actor=users.mediator, data={"result": "confirmed", "confirmation_number": "(2026)湘0621民特1号"}
    )
    case.refresh_from_db()
    assert case.confirmation == "confirmed" and case.confirmation_on == actions.today()
    logged = set(AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {
        "mediation.log_session",
        "mediation.close_settled",
        "mediation.request_confirmation",
        "mediation.record_confirmation",
    } <= logged


def test_given_a_failed_case_when_the_court_files_it_then_the_lawsuit_number_is_recorded(users, med):
    with pytest.raises(ValidationError, match="立案案号"):
        actions.fail(med.case, actor=users.mediator, data={"lawsuit_case_number": "(2026)湘0621民初9号"})
    actions.fail(med.case, actor=users.mediator, data={"failed_next": "litigation"})
    actions.record_lawsuit(med.case, actor=users.mediator, data={"lawsuit_case_number": "(2026)湘0621民初9号"})
    assert med.case.lawsuit_case_number == "(2026)湘0621民初9号"
    with pytest.raises(actions.MediationError, match="才能申请司法确认"):
        actions.request_confirmation(med.case, actor=users.mediator, data={})


def test_given_a_court_case_when_extended_then_only_with_consent_and_later_deadline(users, med):
    case = med.case
    old = case.deadline
    with pytest.raises(ValidationError) as info:
        actions.extend_deadline(case, actor=users.secretary, data={"new_deadline": old, "consent_ref": "函"})
    assert "new_deadline" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        actions.extend_deadline(case, actor=users.secretary, data={"new_deadline": old + dt.timedelta(days=15)})
    assert "consent_ref" in info.value.message_dict
    actions.extend_deadline(
        case, actor=users.secretary, data={"new_deadline": old + dt.timedelta(days=15), "consent_ref": "法官电话同意"}
    )
    case.refresh_from_db()
    assert case.deadline == old + dt.timedelta(days=15)
    assert case.extensions.get().old_deadline == old


def test_given_an_application_case_when_extended_or_returned_then_refused(users, med):
    data = {"source": "application", "case_type": "sale", "amount": "3"}
    case = actions.register_case(actor=users.secretary, body=med.committee, data=data, parties=factories.parties())
    assert case.deadline == case.received_on + dt.timedelta(days=30)
    with pytest.raises(actions.MediationError):
        actions.extend_deadline(case, actor=users.secretary, data={"new_deadline": "2999-01-01", "consent_ref": "x"})
    with pytest.raises(actions.MediationError, match="只有法院委派或委托"):
        actions.return_to_court(case, actor=users.mediator, data={})


def test_given_an_overdue_case_when_reminded_then_mediator_and_secretary_notified_once_a_day(users, med):
    from qinqing.notifications.models import Notification

    Case.objects.filter(pk=med.case.pk).update(deadline=actions.today() - dt.timedelta(days=1))
    assert actions.remind_overdue() == {"reminded": 1}
    assert actions.remind_overdue() == {"reminded": 0}
    recipients = set(
        Notification.objects.filter(kind="mediation", title__contains="超过调解期限").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {users.mediator.pk, users.secretary.pk}
    med.case.refresh_from_db()
    actions.return_to_court(med.case, actor=users.mediator, data={"outcome_note": "期满未达成协议"})
    assert med.case.status == "returned"


def test_given_a_roster_when_a_non_mediator_is_added_then_refused(users, med):
    with pytest.raises(ValidationError, match="调解员角色"):
        actions.add_to_roster(med.committee, actor=users.secretary, user=users.county_staff)
    entry = med.committee.roster.get()
    actions.remove_from_roster(entry, actor=users.secretary)
    with pytest.raises(actions.MediationError):
        actions.remove_from_roster(entry, actor=users.secretary)
