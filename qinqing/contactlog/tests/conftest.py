import datetime as dt

import pytest


def entry_data(tree, **over):
    """A clean contact: a 上门服务 visit to ent_a by car of the unit, no meal, no gift."""
    data = {
        "date": dt.date.today() - dt.timedelta(days=2),
        "place": "岳阳县洞庭食品有限公司厂区",
        "venue": "enterprise",
        "purpose": "service",
        "purpose_text": "了解企业用电难题",
        "organiser": "own_unit",
        "officials": "李四（副主席）",
        "entrepreneurs": "王五（董事长）",
        "enterprises": [tree.ent_a.pk],
        "vehicle": "official",
        "costs_paid_by": "none",
        "gifts": [],
        "matters": [],
    }
    data.update(over)
    return data


def flagged_data(tree, **over):
    """A banquet paid by the enterprise, with a kept gift."""
    values = {
        "purpose": "forum",
        "venue": "restaurant",
        "had_meal": True,
        "meal_standard": "300",
        "meal_paid_by": "enterprise",
        "gifts": [{"description": "茶叶两盒", "value": "800", "returned": False}],
    }
    return entry_data(tree, **{**values, **over})


@pytest.fixture
def data(tree):
    return lambda **over: entry_data(tree, **over)


@pytest.fixture
def flagged(tree, users):
    from qinqing.contactlog import actions

    return actions.save_entry(actor=users.county_staff, data=flagged_data(tree))
