"""County-A financing objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

import datetime as dt

from qinqing.core.tests.isolation_registry import Sample


def _need(tree, users):
    from qinqing.financing import actions
    from qinqing.financing.choices import ListState

    need = actions.state_need(
        actor=users.enterprise,
        enterprise=tree.ent_a,
        data={
            "amount": "300",
            "term_months": 12,
            "purpose": "working",
            "guarantee": "credit",
            "contact_phone": "13800000000",
        },
    )
    need.list_state = ListState.RECOMMENDED
    need.save(update_fields=["list_state"])
    return need


def _referral(tree, users):
    from qinqing.financing import actions

    need = _need(tree, users)
    on = actions.today() - dt.timedelta(days=3)
    return actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[need], on=on).referrals.get()


def _refused(tree, users):
    from qinqing.financing import actions

    referral = _referral(tree, users)
    actions.record_stage(referral, actor=users.banker, data={"stage": "refused", "reason": "tax_arrears"})
    return referral


def _event(tree, users):
    from qinqing.financing import actions

    return actions.save_event(
        actor=users.county_staff, data={"title": "县A银企对接会", "date": actions.today(), "banks": [tree.bank]}
    )


def _product(tree, users):
    from qinqing.financing import actions

    return actions.save_product(
        actor=users.banker,
        data={
            "name": "县A样例贷",
            "amount_min": "10",
            "amount_max": "500",
            "term_min": 1,
            "term_max": 36,
            "rate_min": "3.5",
            "rate_max": "6",
            "guarantees": ["credit"],
        },
    )


def _fix(tree, users):
    from qinqing.financing.models import FixTask

    return FixTask.objects.get(referral=_refused(tree, users))


SAMPLES = [
    Sample("financing:need_detail", lambda tree, users: {"pk": _need(tree, users).pk}),
    Sample("financing:referral_detail", lambda tree, users: {"pk": _referral(tree, users).pk}),
    Sample("financing:referral_stage", lambda tree, users: {"pk": _referral(tree, users).pk}),
    Sample("financing:batch_detail", lambda tree, users: {"pk": _referral(tree, users).batch_id}),
    Sample("financing:event_detail", lambda tree, users: {"pk": _event(tree, users).pk}),
    Sample("financing:event_edit", lambda tree, users: {"pk": _event(tree, users).pk}),
    Sample("financing:fix_detail", lambda tree, users: {"pk": _fix(tree, users).pk}),
    # Products are public offerings: every role that reads products reads them all.
    Sample("financing:product_detail", lambda tree, users: {"pk": _product(tree, users).pk}, isolated=False),
    Sample("financing:product_edit", lambda tree, users: {"pk": _product(tree, users).pk}),
    Sample("financing:figure_records", lambda tree, users: {"key": "financing.needs"}, isolated=False),
]

COUNTY_A_OBJECTS = {
    "financing.FinancingNeed": lambda tree, users: [_need(tree, users)],
    "financing.NeedReferral": lambda tree, users: [_referral(tree, users)],
    "financing.MatchEvent": lambda tree, users: [_event(tree, users)],
    "financing.FixTask": lambda tree, users: [_fix(tree, users)],
}

SCOPE = {
    "financing.BankProduct": None,  # public offerings, the same list for everyone
    "financing.RefusalReason": None,  # the catalogue
    "financing.StageEvent": "referral__org_path",
    "financing.PushBatch": "org_path",
}
