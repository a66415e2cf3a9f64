"""Report pages through the HTTP client: dashboard, figures page, drill-down, scope refusals."""

import datetime as dt

import pytest
from django.utils import timezone

from qinqing.registry.models import Member
from qinqing.registry.rollups import count_members


@pytest.fixture
def members(tree):
    today = timezone.localdate()
    rows = [
        Member(organization=tree.county_a, org_path=tree.county_a.path, kind="individual", person_name=f"张{i}",
               joined_on=today - dt.timedelta(days=10 * i))
        for i in range(3)
    ] + [Member(organization=tree.county_b, org_path=tree.county_b.path, kind="individual", person_name="李",
                joined_on=today)]  # fmt: skip
    Member.objects.bulk_create(rows)
    count_members(m.pk for m in rows)  # written without save(): into the figures' rollups
    return rows


def test_given_city_staff_when_opening_dashboard_then_children_breakdown_and_charts(client, users, tree, members):
    client.force_login(users.city_staff)
    response = client.get("/reports/?period=year")
    assert response.status_code == 200
    page = response.content.decode()
    assert "岳阳县工商联" in page and "华容县工商联" in page
    assert 'id="chart-organisation"' in page and "表格视图" in page
    rows = {c.path: v for c, v in zip(response.context["children"], _members_fig(response)["children"], strict=True)}
    assert rows[tree.county_a.path] == 3 and rows[tree.county_b.path] == 1
    assert _members_fig(response)["value"] == 4


def _members_fig(response):
    section = next(s for s in response.context["sections"] if s.key == "organisation")
    return next(f for f in section.figures if f["key"] == "registry.members_new")


def test_given_county_staff_when_asking_for_sibling_or_parent_then_404(client, users, tree):
    client.force_login(users.county_staff)
    assert client.get(f"/reports/?org={tree.county_b.code}").status_code == 404
    assert client.get(f"/reports/figures/?org={tree.city.code}").status_code == 404
    assert client.get(f"/reports/figures/registry.members/?org={tree.county_a.code}").status_code == 200
    assert client.get("/reports/figures/nope.nothing/").status_code == 404


def test_given_enterprise_user_when_opening_reports_then_refused(client, users):
    client.force_login(users.enterprise)
    assert client.get("/reports/").status_code == 403


def test_given_drilldown_when_listing_then_records_are_the_counted_ones(client, users, tree, members):
    client.force_login(users.county_staff)
    response = client.get(f"/reports/figures/registry.members_new/?org={tree.county_a.code}&period=year")
    page = response.content.decode()
    assert response.status_code == 200 and page.count("张") == 3 and "李" not in page


def test_given_bad_dates_then_chinese_message_and_default_period(client, users):
    client.force_login(users.city_staff)
    response = client.get("/reports/figures/?period=custom&from=2025-13-01&to=2025-01-01")
    assert "起始日期格式应为 YYYY-MM-DD" in response.content.decode()


def test_given_appeals_when_dashboard_then_query_count_bounded(client, users, tree, django_assert_max_num_queries):
    client.force_login(users.city_staff)
    with django_assert_max_num_queries(200):
        assert client.get("/reports/").status_code == 200
