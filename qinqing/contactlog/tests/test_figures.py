"""亲清日志 figures: each equals its drill-down rows, scoped to the reader's subtree, and never reaches readers of
the entries' wider subtree (staff) through the shared reports registry."""

import datetime as dt

import pytest

from qinqing.contactlog import actions, figures
from qinqing.core.figures import Period, Rate, all_figures, public_figures
from qinqing.reports import drilldown

from .conftest import entry_data, flagged_data


@pytest.fixture
def year(tree, users):
    """Five contacts in county A and the department: two flagged (one concluded), three matters, one appealed."""
    today = actions.today()
    staff, liaison = users.county_staff, users.liaison
    actions.save_entry(actor=staff, data=entry_data(tree, purpose="service", matters=[
        {"text": "用电难", "enterprise": tree.ent_a.pk}, {"text": "招工难", "enterprise": tree.ent_a.pk}]))  # fmt: skip
    actions.save_entry(actor=staff, data=entry_data(tree, purpose="research"))
    actions.save_entry(actor=liaison, data=entry_data(tree, purpose="service", matters=[{"text": "审批慢"}]))
    concluded = actions.save_entry(actor=staff, data=flagged_data(tree))
    actions.save_entry(actor=liaison, data=flagged_data(tree, venue="private_club", had_meal=False, gifts=[]))
    actions.conclude_review(concluded, actor=users.reviewer, conclusion="reminder", text="已提醒")
    # Last year's: outside this year's figures.
    actions.save_entry(actor=staff, data=entry_data(tree, date=today - dt.timedelta(days=400),
                                                    matters=[{"text": "去年的事项"}]))  # fmt: skip
    appealed = actions.save_entry(actor=staff, data=entry_data(tree, purpose="signing", matters=[
        {"text": "物流成本高", "enterprise": tree.ent_a.pk}]))  # fmt: skip
    actions.matter_to_appeal(appealed.matters.get(), actor=staff)
    return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


def test_given_a_year_of_entries_when_each_figure_is_computed_then_it_equals_its_drilldown_rows(tree, year):
    for figure in figures.FIGURES:
        if isinstance(figure, Rate):
            continue
        for scope in (tree.province.path, tree.county_a.path, tree.county_b.path):
            value = figure.value(scope, year)
            rows = list(drilldown.rows(figure, scope, year))
            assert value == len(rows), (figure.key, scope)


def test_given_a_year_of_entries_when_computed_then_the_figures_count_what_happened(tree, year):
    if actions.today().timetuple().tm_yday < 3:
        pytest.skip("the fixture's dates straddle the new year")
    v = {f.key: figures.value(f, tree.city.path, year) for f in figures.FIGURES}
    assert v["contactlog.contacts"] == 6
    assert (v["contactlog.contacts_service"], v["contactlog.contacts_research"], v["contactlog.contacts_forum"],
            v["contactlog.contacts_signing"]) == (2, 1, 2, 1)  # fmt: skip
    assert (v["contactlog.matters"], v["contactlog.matters_appealed"]) == (4, 1)
    assert v["contactlog.appeal_rate"] == {"value": 25.0, "numerator": 1, "denominator": 4}
    assert (v["contactlog.flagged"], v["contactlog.pending"], v["contactlog.concluded"]) == (2, 1, 1)
    assert v["contactlog.concluded_reminder"] == 1 and v["contactlog.concluded_no_issue"] == 0
    assert v["contactlog.contacts"] == sum(v[f"contactlog.contacts_{p}"] for p in
                                           ("forum", "research", "service", "signing", "event", "other"))  # fmt: skip
    assert figures.value(figures.BY_KEY["contactlog.contacts"], tree.county_b.path, year) == 0


def test_given_the_shared_registry_then_every_contactlog_figure_is_in_it_with_its_own_permission():
    keys = {f.key for f in all_figures()}
    assert {f.key for f in figures.FIGURES} <= keys
    assert all(f.permission == figures.PERMISSION for f in figures.FIGURES)
    assert not {f.key for f in figures.FIGURES} & {f.key for f in public_figures()}


def test_given_plain_fic_staff_when_reading_reports_then_no_contactlog_figure_is_listed_or_reachable(
    client, tree, users, year
):
    """Staff read every other figure in the reports pages, dashboard and API, but none of 亲清日志's; the city
    leader sees them (with this year's six contacts)."""
    params = f"?org={tree.city.code}&from={year.start}&to={year.end}"
    client.force_login(users.city_staff)
    assert users.city_staff.has_perm("reports.view_reports")
    page = client.get(f"/reports/figures/{params}").content.decode()
    assert "appeals.received" in page and "contactlog." not in page and "政企接触" not in page
    dashboard = client.get(f"/reports/{params}").content.decode()
    assert "政企接触" not in dashboard and "触及负面清单" not in dashboard and "contactlog." not in dashboard
    api = client.get(f"/api/v1/reports/figures/{params}").json()
    assert api and not any(row["key"].startswith("contactlog.") for row in api)
    sections = client.get(f"/api/v1/reports/dashboard/{params}").json()["sections"]
    assert not any(f["key"].startswith("contactlog.") for s in sections for f in s["figures"])
    for key in ("contactlog.contacts", "contactlog.appeal_rate"):
        assert client.get(drilldown.url(key, tree.city.code, year)).status_code == 404
        assert client.get(f"/api/v1/reports/figures/{key}/{params}").status_code == 404
    assert client.get(drilldown.url("contactlog.contacts", tree.city.code, year, csv_export=True)).status_code == 404

    client.force_login(users.leader)
    rows = {row["key"]: row for row in client.get(f"/api/v1/reports/figures/{params}").json()}
    assert rows["contactlog.contacts"]["value"] == 6
    assert "政企接触" in client.get(f"/reports/figures/{params}").content.decode()
    assert client.get(drilldown.url("contactlog.contacts", tree.city.code, year, csv_export=True)).status_code == 200


def test_given_a_leader_of_county_b_when_reading_figures_then_county_a_entries_are_not_counted(
    client, tree, users, year
):
    from conftest import PASSWORD
    from qinqing.accounts.actions import create_user

    leader_b = create_user(username="leader_b", name="leader_b", role="fic_leader", org=tree.county_b,
                           password=PASSWORD, must_change_password=False)  # fmt: skip
    client.force_login(leader_b)
    body = client.get("/api/v1/contactlog/figures/").json()
    assert body["figures"]["contactlog.contacts"]["value"] == 0
    client.force_login(users.leader)
    assert client.get("/api/v1/contactlog/figures/").json()["figures"]["contactlog.contacts"]["value"] == 6
