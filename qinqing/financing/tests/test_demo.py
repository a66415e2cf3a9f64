"""The financing demo: products for every bank, a funnel whose figures agree with the records, the banker's work."""

import pytest
from django.db.models import Sum

from qinqing.financing.models import BankProduct, FinancingNeed, FixTask, MatchEvent, NeedReferral, StageEvent

pytestmark = pytest.mark.django_db


def test_given_the_demo_when_seeded_then_funnel_banks_products_and_banker_work(settings, tmp_path):
    from qinqing.core import demo
    from qinqing.core import figures as registry

    settings.POLICY_SEARCH_INDEX = str(tmp_path / "index")
    ctx = demo.make_context("county")
    demo.run(ctx)

    assert set(BankProduct.objects.values_list("bank_id", flat=True)) == {b.pk for b in ctx.banks}
    assert FinancingNeed.objects.count() >= 300 and MatchEvent.objects.count() >= 30
    for stage in ("pushed", "contacted", "intended", "credited", "lent", "refused"):
        assert NeedReferral.objects.filter(stage=stage).exists(), stage
    assert FixTask.objects.filter(status="fixed").exists()
    assert NeedReferral.objects.filter(previous__isnull=False).exists()
    banker = ctx.users["banker"]
    assert NeedReferral.objects.filter(bank=banker.org, stage="pushed").count() >= 3
    lent = StageEvent.objects.filter(stage="lent").aggregate(s=Sum("amount"))["s"]
    assert lent == NeedReferral.objects.aggregate(s=Sum("loan_amount"))["s"]
    period = registry.Period(min(n.stated_on for n in FinancingNeed.objects.all()), demo_today())
    assert registry.get("financing.loan_amount").value(ctx.root.path, period) == lent


def demo_today():
    from django.utils import timezone

    return timezone.localdate()
