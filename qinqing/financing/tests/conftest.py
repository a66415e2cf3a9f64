import datetime as dt
from types import SimpleNamespace

import pytest


@pytest.fixture
def fin(tree, users):
    """A second bank with its officer, a chamber membership for ent_a, and a recommended need of ent_a."""
    from conftest import PASSWORD
    from qinqing.accounts.actions import create_user
    from qinqing.financing import actions
    from qinqing.financing.choices import ListState
    from qinqing.orgs.actions import create_organization
    from qinqing.registry.models import Member

    bank2 = create_organization(kind="bank", name="中国银行岳阳分行", region_code="430600", parent=tree.city)
    banker2 = create_user(username="banker2", name="banker2", role="bank_officer", org=bank2, password=PASSWORD,
                          must_change_password=False)  # fmt: skip
    tree.ent_a.founded_on = dt.date(2015, 3, 1)
    tree.ent_a.address = "岳阳县荣家湾镇"
    tree.ent_a.industry_code = "C1391"
    tree.ent_a.save()
    Member.objects.create(
        organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise", enterprise=tree.ent_a,
        joined_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    need = actions.state_need(actor=users.enterprise, enterprise=tree.ent_a, data=need_data())
    need.list_state = ListState.RECOMMENDED
    need.save()
    return SimpleNamespace(bank2=bank2, banker2=banker2, need=need)


def need_data(**over):
    data = {
        "amount": "300",
        "term_months": 12,
        "purpose": "working",
        "guarantee": "credit",
        "is_first_loan": True,
        "rate_ceiling": "5.5",
        "credit_check_authorised": True,
        "contact_name": "张三",
        "contact_phone": "13800000000",
    }
    data.update(over)
    return data


def past(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=days)
