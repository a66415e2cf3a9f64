"""Fixtures for the policy tests: enterprises with data, and a policy factory."""

import datetime
from decimal import Decimal

import pytest

ALL_SMALL = {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]}


@pytest.fixture
def firms(tree):
    """ent_a: 50 employees, 高新技术企业, county A; ent_b: 5 employees, county B."""
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    Enterprise.objects.filter(pk=tree.ent_a.pk).update(
        employees=50,
        industry_code="1311",
        founded_on=datetime.date(2015, 3, 1),
        size_class="小型",
        qualifications="high_tech",
    )
    Enterprise.objects.filter(pk=tree.ent_b.pk).update(employees=5, industry_code="5211", size_class="微型")
    EnterpriseYearFigures.objects.create(
        enterprise=tree.ent_a,
        year=2025,
        revenue_wan=Decimal("3000"),
        tax_wan=Decimal("120"),
        rd_spend_wan=Decimal("150"),
    )
    tree.ent_a.refresh_from_db()
    tree.ent_b.refresh_from_db()
    return tree


@pytest.fixture
def make_policy(users):
    from qinqing.policies.actions import create_policy, set_policy_state

    def make(*, actor=None, publish=True, rule=ALL_SMALL, **data):
        actor = actor or users.city_staff
        values = {
            "title": "岳阳市稳岗补贴政策",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "apply",
            "effective_on": datetime.date(2024, 1, 1),
            "body": "对吸纳就业的中小企业给予稳岗补贴和融资担保支持。",
            "rule": rule,
            **data,
        }
        policy = create_policy(actor=actor, data=values)
        if publish:
            policy = set_policy_state(policy, actor=actor, state="published")
        return policy

    return make


@pytest.fixture(autouse=True)
def search_index_dir(settings, tmp_path):
    """Each test searches its own, initially empty, tantivy index (kept current by the actions)."""
    from qinqing.policies import search_index

    settings.POLICY_SEARCH_INDEX = str(tmp_path / "policy-index")
    search_index.rebuild(rows=[])
    return settings.POLICY_SEARCH_INDEX
