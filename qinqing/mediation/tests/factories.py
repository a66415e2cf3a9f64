"""Mediation objects in county A (岳阳县) for the tests, the role × URL matrix and the isolation sweep."""

from __future__ import annotations

import datetime as dt


def committee(tree, users):
    """The 调解委员会 of chamber A with the test mediator on its roster (made once per test database)."""
    from qinqing.mediation import actions
    from qinqing.mediation.models import MediationBody

    body = MediationBody.objects.filter(organization=tree.chamber_a).first()
    if body is None:
        body = actions.save_body(
            actor=users.secretary,
            organization=tree.chamber_a,
            data={"name": "岳阳县餐饮行业商会人民调解委员会", "phone": "0730-1234567"},
        )
        actions.add_to_roster(
            body, actor=users.secretary, user=users.mediator, specialities=["labour", "sale"], title="律师"
        )
    return body


def centre(tree, users):
    from qinqing.mediation import actions
    from qinqing.mediation.models import MediationBody

    body = MediationBody.objects.filter(organization=tree.county_a).first()
    return body or actions.save_body(
        actor=users.county_staff, organization=tree.county_a, data={"name": "岳阳县工商联商事调解中心"}
    )


def parties(**over):
    return [
        {
            "role": "applicant",
            "kind": "person",
            "name": "张小明",
            "phone": "13800001111",
            "id_number": "",
            "address": "岳阳县荣家湾镇建设路8号",
            **over.get("applicant", {}),
        },
        {
            "role": "respondent",
            "kind": "organisation",
            "credit_code": "91430621MA4L000030",
            "is_member": True,
            "phone": "0730-7654321",
            **over.get("respondent", {}),
        },
    ]


def court_data(**over):
    from qinqing.mediation.actions import today

    referred = today() - dt.timedelta(days=5)
    return {
        "source": "court_pre",
        "case_type": "labour",
        "amount": "12.50",
        "court_name": "岳阳县人民法院",
        "court_case_number": over.pop("court_case_number", "(2026)湘0621民诉前调100号"),
        "referred_on": referred,
        "received_on": referred,
        "summary": "拖欠工资及经济补偿",
        **over,
    }


def court_case(tree, users, **over):
    """A court-referred (诉前委派) labour case of chamber A, assigned to the test mediator."""
    from qinqing.mediation import actions
    from qinqing.mediation.models import Case

    body = committee(tree, users)
    data = court_data(**over)
    existing = Case.objects.filter(court_case_number=data["court_case_number"]).first()
    if existing is not None:
        return existing
    return actions.register_case(
        actor=users.secretary, body=body, data=data, parties=parties(), mediator=users.mediator
    )


def settled_case(tree, users, **over):
    from qinqing.mediation import actions

    case = court_case(tree, users, **over)
    if case.status == "settled":
        return case
    actions.log_session(
        case,
        actor=users.mediator,
        data={
            "held_on": actions.today(),
            "mode": "onsite",
            "place": "商会调解室",
            "attendees": "张小明；洞庭食品公司代理人",
        },
    )
    return actions.settle(
        case,
        actor=users.mediator,
        data={"agreement_text": "一、被申请人于2026年12月31日前支付工资10万元。", "settled_amount": "10"},
    )
