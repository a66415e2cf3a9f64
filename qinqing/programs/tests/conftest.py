import datetime as dt
from types import SimpleNamespace

import pytest


def past(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=days)


def pairing_data(tree, **over):
    data = {"party_kind": "enterprise", "enterprise": tree.ent_a, "county_code": "430621", "village": "荣家湾镇杨林村",
            "started_on": past(200)}  # fmt: skip
    data.update(over)
    return data


def donation_data(**over):
    data = {"form": "cash", "amount": "50", "recipient": "岳阳县慈善总会", "purpose": "助学", "donated_on": past(10)}
    data.update(over)
    return data


@pytest.fixture
def prog(tree, users):
    """County A: ent_a paired with a village (one project with this year's funds), a chamber pairing, a donation of
    ent_a of 50 万元 and one of 120 万元, and ent_a in the listing pipeline (金种子, at 储备)."""
    from qinqing.programs import actions

    pairing = actions.save_pairing(actor=users.county_staff, data=pairing_data(tree))
    project_data = {"name": "杨林村油茶基地", "kind": "industry", "started_on": past(150)}
    project = actions.add_project(pairing, actor=users.county_staff, data=project_data)
    year = actions.record_year(project, actor=users.county_staff,
                               data={"year": actions.today().year, "committed": "80", "spent": "30.5",
                                     "employed": 12})  # fmt: skip
    chamber_pairing = actions.save_pairing(
        actor=users.county_staff,
        data=pairing_data(tree, party_kind="chamber", enterprise=None, chamber=tree.chamber_a, village="新墙镇清水村"),
    )
    small = actions.register_donation(actor=users.county_staff, enterprise=tree.ent_a, data=donation_data())
    major = actions.register_donation(actor=users.county_staff, enterprise=tree.ent_a,
                                      data=donation_data(amount="120", recipient="岳阳县红十字会",
                                                         purpose="防汛救灾"))  # fmt: skip
    candidate = actions.add_candidate(actor=users.county_staff, enterprise=tree.ent_a,
                                      data={"tier": "gold", "criteria": ["revenue", "specialised"],
                                            "criteria_note": "2025年营业收入3.2亿元", "entered_on": past(300),
                                            "officer": users.county_staff})  # fmt: skip
    return SimpleNamespace(pairing=pairing, project=project, year=year, chamber_pairing=chamber_pairing, small=small,
                           major=major, candidate=candidate)  # fmt: skip
