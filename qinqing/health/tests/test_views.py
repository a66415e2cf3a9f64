"""Health-check pages through the HTTP client: diagnosis (enterprise and staff), scheme, visits, figures."""

import datetime as dt

import pytest

from qinqing.core.models import AuditEntry
from qinqing.health import actions
from qinqing.health.models import ScoringVersion, VisitTask

pytestmark = pytest.mark.django_db


def test_given_an_enterprise_when_opening_its_diagnosis_then_scores_radar_indicators_and_missing_data_show(
    client, tree, users, health
):
    client.force_login(users.enterprise)
    page = client.get("/health/mine/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "经济活力" in html and "底线能力" in html and "health-radar-data" in html
    assert "营业收入增长率" in html and "-20.00" in html
    assert "缺上年利润总额" in html  # missing data is named
    assert "法治体检" in html  # the weak 底线能力 (debt ratio 87.5%) suggests a legal check-up
    assert "echarts.min.js" in html and "cdn" not in html.lower()


def test_given_an_enterprise_when_opening_another_enterprises_diagnosis_then_404(client, tree, users, health):
    client.force_login(users.enterprise)
    assert client.get(f"/health/enterprises/{tree.ent_b.pk}/").status_code == 404
    assert client.get(f"/health/enterprises/{tree.ent_b.pk}/figures/").status_code == 404


def test_given_county_staff_when_listing_results_then_only_their_subtree_and_the_view_is_audited(
    client, tree, users, health, django_assert_max_num_queries
):
    client.force_login(users.county_staff)
    with django_assert_max_num_queries(20):
        html = client.get("/health/?watch=watch").content.decode()
    assert tree.ent_a.name in html and tree.ent_b.name not in html
    assert client.get(f"/health/enterprises/{tree.ent_b.pk}/").status_code == 404
    assert client.get(f"/health/enterprises/{tree.ent_a.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="health.view_diagnosis", actor=users.county_staff).exists()


def test_given_the_enterprise_when_stating_figures_and_answers_on_pages_then_they_are_saved(
    client, tree, users, health
):
    client.force_login(users.enterprise)
    response = client.post(f"/health/enterprises/{tree.ent_a.pk}/figures/",
                           {"year": 2024, "profit_wan": "30", "receivables_wan": "-5"})  # fmt: skip
    assert response.status_code == 200 and "应收账款不能为负数" in response.content.decode()
    response = client.post(f"/health/enterprises/{tree.ent_a.pk}/figures/", {"year": 2024, "profit_wan": "30"})
    assert response.status_code == 302
    response = client.post(f"/health/enterprises/{tree.ent_a.pk}/questionnaire/", {"governance": "yes"})
    assert response.status_code == 302 and tree.ent_a.health_answers.answers == {"governance": "yes"}


def test_given_staff_when_saving_a_version_with_overlapping_bands_then_the_field_is_named_and_nothing_saved(
    client, users, health
):
    from qinqing.health.forms import VersionForm

    client.force_login(users.city_staff)
    form = VersionForm(config=health.version.config, initial={"name": "x"})
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update(name="2026 修订", low_below=60, fall_by=10, bands_debt_ratio="~30=50; 20~60=100; 60~=0")
    count = ScoringVersion.objects.count()
    response = client.post("/health/versions/new/", data)
    assert response.status_code == 200 and "资产负债率：第1档与第2档重叠" in response.content.decode()
    data.update(bands_debt_ratio="~40=60; 40~60=100; 60~=20", weight_revenue_growth=13)
    response = client.post("/health/versions/new/", data)
    assert "权重合计应为 100%" in response.content.decode()
    assert ScoringVersion.objects.count() == count
    data.update(weight_revenue_growth=12)
    response = client.post("/health/versions/new/", data)
    draft = ScoringVersion.objects.get(number=2)
    assert response.status_code == 302 and draft.config["indicators"]["debt_ratio"]["bands"][0]["high"] == 40
    client.post(f"/health/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "active"


def test_given_the_watch_list_when_staff_create_record_and_appeal_a_visit_on_pages_then_it_closes_the_loop(
    client, tree, users, health
):
    client.force_login(users.county_staff)
    due = (actions.today() + dt.timedelta(days=2)).isoformat()
    response = client.post("/health/visits/new/", {"results": [health.result_a.pk, health.result_b.pk], "due_on": due})
    assert response.status_code == 302
    task = VisitTask.objects.get()  # county B's result was not visible: no task for it
    assert task.enterprise == tree.ent_a
    record = {"visited_on": actions.today().isoformat(), "notes": "座谈", "problems": "用工缺口"}
    response = client.post(f"/health/visits/{task.pk}/", record)
    assert response.status_code == 302
    response = client.post(f"/health/visits/{task.pk}/appeal/", {"department": tree.dept_a.pk, "problem": ""})
    task.refresh_from_db()
    assert task.appeal is not None and "用工缺口" in task.appeal.title
    html = client.get(f"/health/visits/{task.pk}/").content.decode()
    assert task.appeal.number in html


def test_given_leader_when_opening_figures_then_values_link_to_their_records(client, tree, users, health):
    client.force_login(users.leader)
    html = client.get("/health/figures/").content.decode()
    assert "体检企业" in html and "health-figures" in html
    records = client.get("/health/figures/health.low/").content.decode()
    assert tree.ent_a.name in records
    assert client.get("/health/figures/financing.needs/").status_code == 404


def test_given_staff_when_starting_a_run_on_the_page_then_the_run_shows_its_job(
    client, users, health, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(users.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/health/runs/start/")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "已为 1 家企业评分" in html
    assert client.get("/health/runs/").status_code == 200
    assert client.get("/health/versions/").status_code == 200
