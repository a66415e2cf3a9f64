import datetime as dt
from types import SimpleNamespace

import pytest


@pytest.fixture
def legal(tree, users):
    """ent_a a member of chamber_a; the law firm linked to chamber_a (万所联万会) with the test lawyer."""
    from qinqing.legal import actions
    from qinqing.registry.models import Member

    Member.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise",
                          enterprise=tree.ent_a, joined_on=dt.date(2020, 1, 1))  # fmt: skip
    today = actions.today()
    link = actions.save_link(actor=users.county_staff, data=link_data(tree, users, today))
    return SimpleNamespace(link=link, today=today)


def link_data(tree, users, today, **over):
    data = {
        "law_firm": tree.lawfirm.pk,
        "chamber": tree.chamber_a.pk,
        "starts_on": today - dt.timedelta(days=200),
        "ends_on": today + dt.timedelta(days=500),
        "services": ["checkup", "talk", "consult"],
        "services_note": "每年为会员企业免费体检不少于10家",
        "lawyers": [users.lawyer.pk],
    }
    data.update(over)
    return data


def answers_for(checkup, answer="yes"):
    from qinqing.legal.models import Question

    return {q.pk: (answer, "") for q in Question.objects.filter(area__version_id=checkup.version_id)}


def walk_to(stage, tree, users, *, chamber=True):
    """A check-up of ent_a taken to ``stage``: requested, assigned, visited, reported (2 risks, one red)."""
    from qinqing.legal import actions

    data = {"request_note": "合同纠纷较多", "contact_name": "王经理", "contact_phone": "13800001111"}
    if chamber:
        data["chamber"] = tree.chamber_a.pk
    checkup = actions.request_checkup(actor=users.enterprise, enterprise=tree.ent_a, data=data)
    if stage == "requested":
        return checkup
    today = actions.today()
    checkup = actions.assign_checkup(checkup, actor=users.county_staff, lawyer=users.lawyer, visit_on=today)
    actions.submit_selfcheck(checkup, actor=users.enterprise, answers=answers_for(checkup, "partly"))
    if stage == "assigned":
        return checkup
    checkup = actions.record_visit(checkup, actor=users.lawyer, visited_on=today, answers=answers_for(checkup),
                                   note="现场查阅合同台账")  # fmt: skip
    if stage == "visited":
        return checkup
    areas = {a.code: a for a in checkup.version.areas.all()}
    actions.add_risk(checkup, actor=users.lawyer, data={"area": areas["labour"].pk, "level": "red",
                     "facts": "12名员工未签订书面劳动合同", "recommendation": "一个月内补签劳动合同"})  # fmt: skip
    actions.add_risk(checkup, actor=users.lawyer, data={"area": areas["contract"].pk, "level": "yellow",
                     "facts": "合同范本未约定争议解决方式", "recommendation": "修订合同范本"})  # fmt: skip
    return actions.issue_report(checkup, actor=users.lawyer, summary="总体风险可控，劳动用工存在重大风险。")
