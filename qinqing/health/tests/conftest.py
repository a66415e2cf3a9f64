from decimal import Decimal
from types import SimpleNamespace

import pytest


def figures(enterprise, year, revenue, **over):
    from qinqing.registry.models import EnterpriseYearFigures

    values = {"revenue_wan": Decimal(revenue), "tax_wan": Decimal(revenue) * Decimal("0.04"),
              "rd_spend_wan": Decimal(revenue) * Decimal("0.02"), "employees": 50,
              "total_assets_wan": Decimal(revenue) * 2, **over}  # fmt: skip
    return EnterpriseYearFigures.objects.create(enterprise=enterprise, year=year, **values)


def score(actor):
    """A run for the actor's subtree, computed at once (the job body, without the queue)."""
    from qinqing.health import actions
    from qinqing.health.models import HealthRun
    from qinqing.health.runs import compute_run

    run = HealthRun.objects.create(version=actions.active_version(), org_path=actor.org.path, started_by=actor)
    compute_run(run)
    return run


@pytest.fixture
def health(tree, users):
    """The default scheme active; ent_a with two years of figures (falling), ent_b with one; both scored."""
    from qinqing.health import actions
    from qinqing.health.models import HealthResult

    version = actions.default_version(users.city_staff)
    figures(tree.ent_a, 2024, "1000")
    figures(tree.ent_a, 2025, "800", rd_spend_wan=Decimal("4"))
    figures(tree.ent_b, 2025, "500")
    actions.save_supplement(tree.ent_a, actor=users.enterprise, year=2025,
                            data={"profit_wan": "-20", "liabilities_wan": "1400", "cost_wan": "700"})  # fmt: skip
    run = score(users.city_staff)
    result_a = HealthResult.objects.get(enterprise=tree.ent_a, is_current=True)
    result_b = HealthResult.objects.get(enterprise=tree.ent_b, is_current=True)
    return SimpleNamespace(version=version, run=run, result_a=result_a, result_b=result_b)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
