"""Actions: the funnel, the whitelist, bad input refused with the field named and nothing changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qinqing.financing import actions
from qinqing.financing.choices import FixStatus, ListState, Stage
from qinqing.financing.models import FinancingNeed, FixTask, NeedReferral, RefusalReason, StageEvent

from .conftest import need_data, past


def _pushed(fin, users, tree, on=None):
    batch = actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=on or past(20))
    return batch.referrals.get()


def test_given_enterprise_when_stating_need_then_number_and_denormalised_fields(tree, users, fin):
    need = fin.need
    assert need.number.startswith("RZ")
    assert need.org_path == tree.county_a.path and need.region_code == "430621"
    assert need.source == "enterprise"


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "0"), ("amount", "-5"), ("amount", "99999999"), ("amount", "abc"), ("term_months", 0),
     ("term_months", 999), ("rate_ceiling", "80"), ("purpose", "casino"), ("guarantee", "")],
)  # fmt: skip
def test_given_out_of_range_field_when_stating_then_refused_naming_field(tree, users, fin, field, value):
    before = FinancingNeed.objects.count()
    with pytest.raises(ValidationError) as err:
        actions.state_need(actor=users.enterprise, enterprise=tree.ent_a, data=need_data(**{field: value}))
    assert field in err.value.message_dict
    assert FinancingNeed.objects.count() == before


def test_given_other_enterprise_when_stating_then_refused(tree, users, fin):
    with pytest.raises(actions.FinancingError):
        actions.state_need(actor=users.enterprise, enterprise=tree.ent_b, data=need_data())
    with pytest.raises(actions.FinancingError):
        actions.state_need(actor=users.county_staff, enterprise=tree.ent_b, data=need_data())


def test_given_registry_data_when_screening_then_registry_decides_and_rest_attested(tree, users, fin):
    need = actions.state_need(actor=users.county_staff, enterprise=tree.ent_a, data=need_data())
    with pytest.raises(ValidationError) as err:
        actions.screen_need(need, actor=users.county_staff, attested={})
    assert "genuine" in err.value.message_dict
    need = actions.screen_need(need, actor=users.county_staff, attested={"genuine": True, "credit": True, "use": True})
    assert need.list_state == ListState.DECLARED
    assert need.screening["operating"] == {"met": True, "basis": "registry"}
    assert need.screening["credit"]["basis"] == "attested"
    actions.recommend_needs([need], actor=users.county_staff)
    need.refresh_from_db()
    assert need.list_state == ListState.RECOMMENDED


def test_given_young_enterprise_when_screening_then_screened_out_with_note(tree, users, fin):
    tree.ent_a.founded_on = actions.today() - dt.timedelta(days=100)
    tree.ent_a.save()
    need = actions.state_need(actor=users.county_staff, enterprise=tree.ent_a, data=need_data())
    with pytest.raises(ValidationError):
        actions.screen_need(need, actor=users.county_staff, attested={"genuine": True, "credit": True, "use": True})
    need = actions.screen_need(
        need, actor=users.county_staff, attested={"genuine": True, "credit": True, "use": True}, note="成立不满一年"
    )
    assert need.list_state == ListState.SCREENED_OUT


def test_given_recommended_need_when_pushed_and_lent_then_stages_and_need_stage(tree, users, fin):
    referral = _pushed(fin, users, tree)
    assert referral.answer_due == referral.pushed_on + dt.timedelta(days=30)
    actions.record_stage(referral, actor=users.banker, data={"stage": "contacted", "on": past(18)})
    actions.record_stage(referral, actor=users.banker, data={"stage": "intended", "amount": "300", "on": past(15)})
    actions.record_stage(referral, actor=users.banker, data={"stage": "credited", "amount": "250", "on": past(10)})
    actions.record_stage(referral, actor=users.banker, data={"stage": "lent", "amount": "250", "on": past(5)})
    referral.refresh_from_db()
    assert (referral.stage, referral.credit_amount, referral.loan_amount) == (Stage.LENT, 250, 250)
    assert referral.answered_on == past(10)
    fin.need.refresh_from_db()
    assert fin.need.stage == Stage.LENT
    assert StageEvent.objects.filter(referral=referral).count() == 5


def test_given_pushed_when_lending_before_credit_then_refused_nothing_changed(tree, users, fin):
    referral = _pushed(fin, users, tree)
    with pytest.raises(actions.FinancingError, match="授信"):
        actions.record_stage(referral, actor=users.banker, data={"stage": "lent", "amount": "100"})
    referral.refresh_from_db()
    assert referral.stage == Stage.PUSHED and StageEvent.objects.filter(referral=referral).count() == 1


def test_given_credit_when_lending_more_without_note_then_refused_naming_note(tree, users, fin):
    referral = _pushed(fin, users, tree)
    actions.record_stage(referral, actor=users.banker, data={"stage": "credited", "amount": "100", "on": past(10)})
    with pytest.raises(ValidationError) as err:
        actions.record_stage(referral, actor=users.banker, data={"stage": "lent", "amount": "150", "on": past(5)})
    assert "note" in err.value.message_dict
    referral.refresh_from_db()
    assert referral.stage == Stage.CREDITED and referral.loan_amount is None
    actions.record_stage(
        referral, actor=users.banker, data={"stage": "lent", "amount": "150", "on": past(5), "note": "追加授信"}
    )


def test_given_refusal_without_reason_then_refused_and_other_needs_text(tree, users, fin):
    referral = _pushed(fin, users, tree)
    with pytest.raises(ValidationError) as err:
        actions.record_stage(referral, actor=users.banker, data={"stage": "refused"})
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        actions.record_stage(referral, actor=users.banker, data={"stage": "refused", "reason": "other"})
    assert "reason_text" in err.value.message_dict
    referral.refresh_from_db()
    assert referral.stage == Stage.PUSHED


def test_given_other_bank_when_recording_then_refused(tree, users, fin):
    referral = _pushed(fin, users, tree)
    with pytest.raises(actions.FinancingError):
        actions.record_stage(referral, actor=fin.banker2, data={"stage": "contacted"})


def test_given_fixable_refusal_then_fix_task_appeal_fix_and_second_bank(tree, users, fin, monkeypatch):
    from qinqing.appeals import actions as appeal_actions

    monkeypatch.setattr(appeal_actions, "today", lambda: dt.date(2026, 11, 16))
    referral = _pushed(fin, users, tree)
    actions.record_stage(referral, actor=users.banker, data={"stage": "refused", "reason": "abnormal", "on": past(3)})
    task = FixTask.objects.get(referral=referral)
    assert task.department == tree.dept_a  # 市场监督管理局 of the need's FIC
    with pytest.raises(actions.FinancingError):
        actions.rerecommend(referral, actor=users.county_staff, bank=fin.bank2)
    appeal = actions.fix_task_to_appeal(task, actor=users.county_staff)
    assert appeal.lead_department_id == tree.dept_a.pk
    actions.complete_fix_task(task, actor=users.county_staff, result="已移出经营异常名录")
    assert task.status == FixStatus.FIXED
    fresh = actions.rerecommend(referral, actor=users.county_staff, bank=fin.bank2)
    assert fresh.previous_id == referral.pk and fresh.bank_id == fin.bank2.pk
    fin.need.refresh_from_db()
    assert fin.need.stage == Stage.PUSHED


def test_given_unfixable_refusal_then_no_task_and_rerecommend_same_bank(tree, users, fin):
    referral = _pushed(fin, users, tree)
    actions.record_stage(referral, actor=users.banker, data={"stage": "refused", "reason": "leverage"})
    assert not FixTask.objects.exists()
    fresh = actions.rerecommend(referral, actor=users.county_staff, bank=tree.bank)
    assert fresh.bank_id == tree.bank.pk


def test_given_overdue_referral_when_chasing_then_bank_then_staff_once(tree, users, fin):
    from qinqing.notifications.models import Notification

    referral = _pushed(fin, users, tree, on=past(35))
    assert actions.chase_overdue() == {"chased": 1, "supervised": 0}
    assert actions.chase_overdue() == {"chased": 0, "supervised": 0}
    assert Notification.objects.filter(recipient=users.banker, key__startswith="financing-chase").count() == 1
    NeedReferral.objects.filter(pk=referral.pk).update(answer_due=past(10))
    assert actions.chase_overdue()["supervised"] == 1
    assert Notification.objects.filter(recipient=users.county_staff, key__startswith="financing-chase").count() == 1


def test_given_chamber_secretary_when_recommending_then_batch_for_members_only(tree, users, fin):
    batch = actions.chamber_recommend(
        actor=users.secretary, bank=tree.bank, credit_line="5000",
        entries=[{"enterprise": tree.ent_a, **need_data(amount="200"), "chamber_note": "会员三年，无纠纷"}],
    )  # fmt: skip
    assert batch.kind == "chamber" and batch.referrals.count() == 1
    with pytest.raises(actions.FinancingError):
        actions.chamber_recommend(actor=users.secretary, bank=tree.bank, entries=[{"enterprise": tree.ent_b,
                                                                                  **need_data()}])  # fmt: skip


def test_given_event_when_signing_intention_then_referral_intended_with_event(tree, users, fin):
    event = actions.save_event(
        actor=users.county_staff, data={"title": "银企对接会", "date": past(2), "banks": [tree.bank]}
    )
    step = actions.sign_intention(event, actor=users.county_staff, need=fin.need, bank=tree.bank, amount="280")
    assert step.event == event and step.referral.intention_amount == 280
    assert event.attending.filter(pk=tree.ent_a.pk).exists()
    with pytest.raises(ValidationError):
        actions.sign_intention(event, actor=users.county_staff, need=fin.need, bank=fin.bank2, amount="1")


def test_given_product_with_bad_ranges_then_refused(tree, users, fin):
    data = {"name": "税易贷", "amount_min": "10", "amount_max": "5", "term_min": 1, "term_max": 12,
            "rate_min": "3.5", "rate_max": "6", "guarantees": ["credit"]}  # fmt: skip
    with pytest.raises(ValidationError) as err:
        actions.save_product(actor=users.banker, data=data)
    assert "amount_max" in err.value.message_dict
    data["amount_max"] = "500"
    data["rule"] = {"op": "all", "items": [{"attr": "years", "op": "ge", "value": 99999}]}
    product = actions.save_product(actor=users.banker, data=data)
    assert product.bank_id == tree.bank.pk
    assert RefusalReason.objects.count() == 12


def test_given_a_need_then_contact_and_authorisation_sealed_at_rest(tree, users, fin):
    from django.db import connection

    need = actions.state_need(actor=users.enterprise, enterprise=tree.ent_a,
                              data=need_data(authorisation_note="授权工行查询征信"))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone, authorisation_note FROM financing_financingneed WHERE id = %s", [need.pk])
        phone, note = cursor.fetchone()
    assert "13800000000" not in phone and "工行" not in note
    need.refresh_from_db()
    assert need.contact_phone == "13800000000" and need.authorisation_note == "授权工行查询征信"
