"""五好县级工商联 ratings: recorded and removed by city/province FIC staff for nodes below them, page and API."""

import pytest
from rest_framework.test import APIClient

from qinqing.core.errors import Refused
from qinqing.core.models import AuditEntry
from qinqing.reports import actions, statistics
from qinqing.reports.models import FicRating


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_given_city_staff_when_rating_a_county_then_stored_audited_and_counted(users, tree):
    # when city staff record a 2025 city-level 标杆 rating of county A
    rating = actions.record_fic_rating(tree.county_a, actor=users.city_staff, level="city", year=2025, benchmark=True)
    # then it is stored with its path, audited, and the statistics count it
    assert (rating.org_path, rating.benchmark) == (tree.county_a.path, True)
    assert AuditEntry.objects.filter(action="reports.fic_rating_record", object_id=str(rating.pk)).exists()
    assert FicRating.objects.filter(org_path__startswith=tree.city.path, year=2025).count() == 1
    assert statistics.build  # the statistics page reads FicRating (see test_statistics)
    # and removing it is audited too
    actions.remove_fic_rating(rating, actor=users.city_staff)
    assert not FicRating.objects.exists()
    assert AuditEntry.objects.filter(action="reports.fic_rating_remove", object_id=str(rating.pk)).exists()


@pytest.mark.parametrize(
    "who, where, year, message",
    [
        ("county_staff", "county_a", 2025, "仅市级、省级工商联"),  # a county FIC does not rate
        ("city_staff", "city", 2025, "只能评定本级以下"),  # not itself
        ("city_staff", "county_a", 1999, "年度"),  # bad year, the field named
        ("city_staff", "county_a", 2999, "年度"),
    ],
)
def test_given_out_of_scope_or_bad_year_then_refused_in_chinese_and_nothing_written(users, tree, who, where, year,
                                                                                   message):  # fmt: skip
    with pytest.raises(Refused, match=message):
        actions.record_fic_rating(getattr(tree, where), actor=getattr(users, who), level="city", year=year)
    assert not FicRating.objects.exists()


def test_given_same_rating_twice_then_second_refused_naming_it(users, tree):
    actions.record_fic_rating(tree.county_a, actor=users.city_staff, level="city", year=2025)
    with pytest.raises(Refused, match="评定：岳阳县工商联已有2025年市级评定"):
        actions.record_fic_rating(tree.county_a, actor=users.city_staff, level="city", year=2025)
    assert FicRating.objects.count() == 1


def test_given_ratings_page_then_city_staff_record_and_remove_and_others_cannot(client, users, tree):
    # given the statistics page links to the ratings page
    client.force_login(users.city_staff)
    assert "/reports/fic-ratings/" in client.get("/reports/statistics/").content.decode()
    # when city staff post a rating
    response = client.post("/reports/fic-ratings/", {"org": tree.county_a.code, "level": "city", "year": "2025"})
    assert response.status_code == 302
    rating = FicRating.objects.get()
    # then the list shows it; posting it again shows the refusal and writes nothing
    again = client.post("/reports/fic-ratings/", {"org": tree.county_a.code, "level": "city", "year": "2025"})
    assert "已有2025年市级评定" in again.content.decode()
    assert "岳阳县工商联" in client.get("/reports/fic-ratings/").content.decode()
    # a county's staff and a leader cannot record; county B cannot even see it
    client.force_login(users.county_staff)
    assert (
        client.post("/reports/fic-ratings/", {"org": tree.county_a.code, "level": "city", "year": "2024"}).status_code
        == 404
    )
    client.force_login(users.leader)
    assert client.post(f"/reports/fic-ratings/{rating.pk}/remove/").status_code in (403, 404)
    client.force_login(users.county_b_staff)
    assert client.post(f"/reports/fic-ratings/{rating.pk}/remove/").status_code == 404
    assert FicRating.objects.count() == 1
    # when city staff remove it, it is gone
    client.force_login(users.city_staff)
    assert client.post(f"/reports/fic-ratings/{rating.pk}/remove/").status_code == 302
    assert not FicRating.objects.exists()


def test_given_ratings_api_then_create_refuse_and_delete(users, tree):
    api = _api(users.city_staff)
    data = {"org": tree.county_a.code, "level": "province", "year": 2024, "benchmark": True}
    created = api.post("/api/v1/reports/fic-ratings/", data, format="json")
    assert created.status_code == 201 and created.json()["org_name"] == "岳阳县工商联"
    duplicate = api.post("/api/v1/reports/fic-ratings/", data, format="json")
    assert duplicate.status_code == 409 and "评定" in duplicate.json()["detail"]
    bad_year = api.post("/api/v1/reports/fic-ratings/", {**data, "year": 1990}, format="json")
    assert bad_year.status_code == 409 and "年度" in bad_year.json()["detail"]
    assert _api(users.county_staff).post("/api/v1/reports/fic-ratings/", {**data, "year": 2023},
                                         format="json").status_code == 409  # fmt: skip
    pk = created.json()["id"]
    assert _api(users.county_b_staff).get(f"/api/v1/reports/fic-ratings/{pk}/").status_code == 404
    assert _api(users.leader).delete(f"/api/v1/reports/fic-ratings/{pk}/").status_code == 403
    assert api.delete(f"/api/v1/reports/fic-ratings/{pk}/").status_code == 204
    assert not FicRating.objects.exists()
