"""Duplicate suggestions: the same enterprise first, then the same domain, ranked by segmented-text
similarity, in the reader's scope, with a bounded number of queries."""

from datetime import date, timedelta

import pytest

from qinqing.appeals import duplicates
from qinqing.appeals.models import Appeal
from qinqing.appeals.permissions import visible_appeals

TODAY = date(2026, 11, 16)
LOAN = "银行流动资金贷款审批三个月仍未放款，影响原料采购"


def _bulk(enterprise, kinds_type, domain, n, *, title, description, registered_on, start=0):
    Appeal.objects.bulk_create(
        Appeal(
            number=f"T{start + i:08d}{enterprise.pk}",
            enterprise=enterprise,
            fic=enterprise.fic,
            org_path=enterprise.org_path,
            appeal_type=kinds_type,
            domain=domain,
            title=title if n == 1 else f"{title}{i}",
            description=description,
            registered_on=registered_on,
        )
        for i in range(n)
    )


@pytest.fixture
def other_ent(tree):
    from qinqing.registry.models import Enterprise

    return Enterprise.objects.create(
        credit_code="91430621MA4L00041X",
        name="岳阳县湖滨机械有限公司",
        fic=tree.county_a,
        org_path=tree.county_a.path,
        region_code="430621",
    )


def test_given_true_duplicate_older_than_500_newer_appeals_when_suggesting_by_domain_then_found(
    users, tree, kinds, other_ent, django_assert_max_num_queries
):
    # Given another enterprise's loan appeal 60 days ago, then 600 newer appeals about hiring
    _bulk(other_ent, kinds.consult, kinds.finance, 1, title="贷款审批慢", description=LOAN,
          registered_on=TODAY - timedelta(days=60))  # fmt: skip
    _bulk(tree.ent_a, kinds.consult, kinds.labour, 600, title="招工难", description="技术工人招聘困难，社保补贴申请慢",
          registered_on=TODAY - timedelta(days=5), start=1000)  # fmt: skip
    # When staff register a finance appeal for ent_a with similar wording
    with django_assert_max_num_queries(3):
        found = duplicates.suggest(
            visible_appeals(users.county_staff),
            "流动资金贷款审批太慢 银行三个月未放款",
            credit_code=tree.ent_a.credit_code,
            domain=kinds.finance.pk,
            today=TODAY,
        )
    # Then the old loan appeal is the top suggestion
    assert found and found[0]["appeal"].title == "贷款审批慢"


def test_given_same_enterprise_appeal_in_other_domain_150_days_ago_then_suggested_first(users, tree, kinds, other_ent):
    # Given ent_a's own appeal 150 days ago (filed under 用工), and another firm's same text 40 days ago
    _bulk(tree.ent_a, kinds.consult, kinds.labour, 1, title="贷款审批慢", description=LOAN,
          registered_on=TODAY - timedelta(days=150))  # fmt: skip
    _bulk(other_ent, kinds.consult, kinds.finance, 1, title="贷款审批慢", description=LOAN,
          registered_on=TODAY - timedelta(days=40), start=5)  # fmt: skip
    found = duplicates.suggest(
        visible_appeals(users.county_staff), LOAN, credit_code=tree.ent_a.credit_code, domain=kinds.finance.pk,
        today=TODAY,
    )  # fmt: skip
    # Then both are suggested, the enterprise's own first
    assert [m["appeal"].enterprise_id for m in found] == [tree.ent_a.pk, other_ent.pk]
    assert found[0]["same_enterprise"] and not found[1]["same_enterprise"]


def test_given_windows_then_other_firms_older_than_90_days_and_own_older_than_180_not_suggested(
    users, tree, kinds, other_ent
):
    _bulk(other_ent, kinds.consult, kinds.finance, 1, title="贷款审批慢", description=LOAN,
          registered_on=TODAY - timedelta(days=100))  # fmt: skip
    _bulk(tree.ent_a, kinds.consult, kinds.finance, 1, title="贷款审批慢", description=LOAN,
          registered_on=TODAY - timedelta(days=200), start=7)  # fmt: skip
    found = duplicates.suggest(
        visible_appeals(users.county_staff), LOAN, credit_code=tree.ent_a.credit_code, domain=kinds.finance.pk,
        today=TODAY,
    )  # fmt: skip
    assert found == []


def test_given_sibling_county_appeal_then_never_suggested(users, tree, kinds):
    _bulk(tree.ent_b, kinds.consult, kinds.finance, 1, title="贷款审批慢", description=LOAN,
          registered_on=TODAY - timedelta(days=3))  # fmt: skip
    found = duplicates.suggest(
        visible_appeals(users.county_staff), LOAN, credit_code=tree.ent_b.credit_code, domain=kinds.finance.pk,
        today=TODAY,
    )  # fmt: skip
    assert found == []


def test_given_2500_same_domain_appeals_then_the_work_is_capped(
    users, tree, kinds, other_ent, monkeypatch, django_assert_max_num_queries
):
    """What keeps the suggestion fast is the cap on candidates read and scored, whatever the domain's size (the
    time itself is measured in docs/performance/appeals.md, not here)."""
    _bulk(other_ent, kinds.consult, kinds.finance, 2500, title="融资担保费用高",
          description="担保公司收费偏高，小微企业融资成本压力大，希望协调降低担保费率",
          registered_on=TODAY - timedelta(days=10))  # fmt: skip
    scored = []
    real_score = duplicates._score
    monkeypatch.setattr(duplicates, "_score", lambda *a, **k: scored.append(1) or real_score(*a, **k))
    with django_assert_max_num_queries(3):
        found = duplicates.suggest(
            visible_appeals(users.county_staff), "融资担保费用高，担保公司收费偏高", credit_code=tree.ent_a.credit_code,
            domain=kinds.finance.pk, today=TODAY,
        )  # fmt: skip
    assert 0 < len(scored) <= duplicates.ENTERPRISE_CAP + duplicates.DOMAIN_CAP < 2500
    assert len(found) == 5 and all(f["appeal"].enterprise_id == other_ent.pk for f in found)
