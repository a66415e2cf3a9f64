"""/api/v1/orgs/ and /api/v1/regions/."""


def test_given_city_staff_when_listing_orgs_then_only_the_subtree_is_returned(users, tree, login):
    data = login(users.city_staff).get("/api/v1/orgs/").json()
    names = {row["name"] for row in data["results"]}
    assert "湖南省工商联" not in names and {"岳阳县工商联", "华容县工商联", "岳阳农商银行"} <= names
    assert data["count"] == 9


def test_given_filters_when_listing_orgs_then_kind_and_parent_apply(users, tree, login):
    client = login(users.city_staff)
    data = client.get("/api/v1/orgs/", {"kind": "chamber"}).json()
    assert {r["name"] for r in data["results"]} == {"岳阳县餐饮行业商会", "华容县建材商会"}
    data = client.get("/api/v1/orgs/", {"parent": tree.county_a.pk}).json()
    assert {r["name"] for r in data["results"]} == {"岳阳县餐饮行业商会", "岳阳县市场监督管理局"}


def test_given_county_a_staff_when_reading_county_b_then_404(users, tree, login):
    client = login(users.county_staff)
    assert client.get(f"/api/v1/orgs/{tree.county_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/orgs/{tree.county_a.pk}/").json()["name"] == "岳阳县工商联"
    assert "华容县工商联" not in {r["name"] for r in client.get("/api/v1/orgs/").json()["results"]}


def test_given_an_enterprise_user_when_listing_orgs_then_403(users, login):
    assert login(users.enterprise).get("/api/v1/orgs/").status_code == 403


def test_given_the_org_list_then_queries_are_bounded(users, tree, login, django_assert_max_num_queries):
    client = login(users.city_staff)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/orgs/").status_code == 200


def test_given_regions_when_filtering_by_code_and_level_then_matching_rows_return(users, login, hunan_regions):
    client = login(users.enterprise)  # reference data: any signed-in user
    data = client.get("/api/v1/regions/", {"code": "4306", "level": 3, "current": "true"}).json()
    names = {r["name"] for r in data["results"]}
    assert "岳阳县" in names and "临湘县" not in names
    data = client.get("/api/v1/regions/", {"code": "430602", "year": 1990}).json()
    assert [r["name"] for r in data["results"]] == ["南区"]


def test_given_an_anonymous_client_when_reading_regions_then_it_is_refused(client):
    assert client.get("/api/v1/regions/").status_code in (401, 403)
