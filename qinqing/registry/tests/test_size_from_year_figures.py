"""Size class from the latest yearly figures when the enterprise's own fields are blank (issue 10: 洞庭湖食品,
48 staff and 509.5 万 revenue in its annual figures, showed 无法划分)."""

from decimal import Decimal

import pytest

from qinqing.registry import actions
from qinqing.registry.models import Enterprise, EnterpriseYearFigures

pytestmark = pytest.mark.django_db


@pytest.fixture
def food(tree):
    Enterprise.objects.filter(pk=tree.ent_a.pk).update(
        industry_code="1371", employees=None, revenue_wan=None, total_assets_wan=None, size_class=""
    )
    EnterpriseYearFigures.objects.create(enterprise=tree.ent_a, year=2024, employees=60, revenue_wan=Decimal("400"))
    EnterpriseYearFigures.objects.create(enterprise=tree.ent_a, year=2025, employees=48, revenue_wan=Decimal("509.5"))
    return Enterprise.objects.get(pk=tree.ent_a.pk)


def test_given_blank_own_figures_when_sized_then_latest_year_used(food):
    # 食品制造 (工业): 从业人员 20–300 and 营业收入 300–2000 万 → 小型
    assert actions.size_of(food) == "小型"


def test_given_own_figures_when_sized_then_they_win_over_the_years(food):
    food.employees, food.revenue_wan = 5, Decimal("100")
    assert actions.size_of(food) == "微型"


def test_given_stale_classes_when_recomputed_then_year_figures_fill_the_blanks(food):
    assert actions.recompute_size_classes(Enterprise.objects.filter(pk=food.pk)) == 1
    food.refresh_from_db()
    assert food.size_class == "小型"


def test_given_older_year_entered_when_own_fields_blank_then_size_class_stored(tree, users):
    Enterprise.objects.filter(pk=tree.ent_a.pk).update(
        industry_code="1371", employees=None, revenue_wan=None, total_assets_wan=None, size_class=""
    )
    enterprise = Enterprise.objects.get(pk=tree.ent_a.pk)
    actions.record_year_figures(enterprise, 2025, actor=users.city_staff, revenue_wan=Decimal("509.5"))
    actions.record_year_figures(enterprise, 2024, actor=users.city_staff, employees=48)
    enterprise.refresh_from_db()
    assert enterprise.size_class == "小型"


def test_given_blank_own_figures_when_detail_page_opened_then_size_shown_not_unclassifiable(food, users, client):
    actions.recompute_size_classes(Enterprise.objects.filter(pk=food.pk))
    client.force_login(users.city_staff)
    html = client.get(f"/registry/enterprises/{food.pk}/").content.decode()
    assert "小型" in html and "无法划分" not in html
