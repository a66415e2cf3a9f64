"""Organisation pages through the client: scope, permissions, forms."""

import pytest

from qinqing.orgs.models import Organization


def test_given_city_staff_when_opening_the_tree_then_every_fic_below_is_listed_with_counts(users, tree, login):
    response = login(users.city_staff).get("/orgs/")
    assert response.status_code == 200
    rows = {row["org"].name: row["counts"] for row in response.context["rows"]}
    assert list(rows) == ["岳阳市工商联", "岳阳县工商联", "华容县工商联"]  # never the province above
    assert rows["岳阳市工商联"]["chamber"] == 2 and rows["岳阳市工商联"]["bank"] == 1
    assert rows["岳阳县工商联"]["chamber"] == 1 and rows["岳阳县工商联"]["department"] == 1
    # city: 10 users at the city node (and its bank and law firm) + the county users below it
    assert rows["岳阳县工商联"]["users"] == 5  # county_staff, ent_user, secretary, mediator, liaison
    assert rows["岳阳市工商联"]["users"] == 16
    assert "岳阳县（430621）" in response.content.decode()  # regions by name, not the bare code


def test_given_county_a_staff_when_opening_the_tree_then_county_b_is_absent(users, tree, login):
    response = login(users.county_staff).get("/orgs/")
    names = [row["org"].name for row in response.context["rows"]]
    assert names == ["岳阳县工商联"]
    assert "华容县" not in response.content.decode()


def test_given_county_a_staff_when_opening_county_b_then_404(users, tree, login):
    client = login(users.county_staff)
    assert client.get(f"/orgs/{tree.county_b.pk}/").status_code == 404
    assert client.get(f"/orgs/{tree.chamber_b.pk}/").status_code == 404
    assert client.get(f"/orgs/{tree.county_a.pk}/").status_code == 200


def test_given_a_role_without_the_permission_when_opening_the_tree_then_403(users, login):
    for user in (users.enterprise, users.secretary, users.audit_admin):
        assert login(user).get("/orgs/").status_code == 403


def test_given_the_tree_then_it_uses_a_fixed_number_of_queries(users, tree, login, django_assert_max_num_queries):
    client = login(users.city_staff)
    for i in range(10):
        Organization.objects.create(
            kind="chamber",
            name=f"商会{i}",
            code=f"CX{i}",
            region_code="430621",
            parent=tree.county_a,
            path=f"{tree.county_a.path}CX{i}/",
        )
    with django_assert_max_num_queries(12):
        response = client.get("/orgs/")
    assert response.context["rows"][1]["counts"]["chamber"] == 11


def test_given_the_tree_filtered_by_htmx_then_only_rows_are_returned(users, tree, login):
    response = login(users.city_staff).get("/orgs/?q=华容", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert [row["org"].name for row in response.context["rows"]] == ["华容县工商联"]


def test_given_a_detail_page_then_children_and_counts_show(users, tree, login):
    response = login(users.city_staff).get(f"/orgs/{tree.county_a.pk}/")
    body = response.content.decode()
    assert "岳阳县餐饮行业商会" in body and "湖南省岳阳市岳阳县" in body
    response = login(users.city_staff).get(f"/orgs/{tree.county_a.pk}/?kind=department", HTTP_HX_REQUEST="true")
    assert [c.name for c in response.context["page"]] == ["岳阳县市场监督管理局"]
    assert "岳阳县（430621）" in response.content.decode()


def test_given_staff_when_opening_the_create_form_then_403(users, login):
    assert login(users.city_staff).get("/orgs/new/").status_code == 403
    assert login(users.leader).post("/orgs/new/", {}).status_code == 403


def test_given_sys_admin_when_posting_a_new_chamber_then_it_is_created(users, tree, login, hunan_regions):
    client = login(users.sys_admin)
    form = client.get("/orgs/new/").context["form"]
    assert set(form.fields["parent"].queryset) == {tree.city, tree.county_a, tree.county_b}
    response = client.post(
        "/orgs/new/",
        {"kind": "chamber", "name": "岳阳县青年企业家商会", "parent": tree.county_a.pk, "region_code": "430621"},
    )
    org = Organization.objects.get(name="岳阳县青年企业家商会")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    assert org.parent == tree.county_a


def test_given_a_bad_region_when_posting_then_the_form_shows_a_chinese_error_and_nothing_is_saved(
    users, tree, login, hunan_regions
):
    client = login(users.sys_admin)
    response = client.post(
        "/orgs/new/", {"kind": "chamber", "name": "某商会", "parent": tree.county_a.pk, "region_code": "439999"}
    )
    assert response.status_code == 200
    assert "行政区划代码“439999”不存在" in response.context["form"].errors["region_code"][0]
    response = client.post(
        "/orgs/new/", {"kind": "chamber", "name": "某商会", "parent": tree.county_a.pk, "region_code": "43"}
    )
    assert "6位数字" in response.context["form"].errors["region_code"][0]
    assert not Organization.objects.filter(name="某商会").exists()


def test_given_a_parent_outside_the_admins_subtree_then_the_form_refuses_it(users, tree, login):
    response = login(users.sys_admin).post(
        "/orgs/new/", {"kind": "chamber", "name": "某商会", "parent": tree.province.pk, "region_code": "430000"}
    )
    assert "parent" in response.context["form"].errors


def test_given_sys_admin_when_editing_then_changes_are_saved(users, tree, login):
    client = login(users.sys_admin)
    response = client.post(
        f"/orgs/{tree.bank.pk}/edit/",
        {"name": "岳阳农村商业银行", "short_name": "岳阳农商行", "contact_phone": "", "address": "", "is_active": "on"},
    )
    assert response.status_code == 302
    tree.bank.refresh_from_db()
    assert tree.bank.name == "岳阳农村商业银行"


@pytest.mark.parametrize("target", ["province", "county_b"])
def test_given_a_county_admin_when_editing_outside_the_subtree_then_404(tree, login, target, county_admin):
    assert login(county_admin).get(f"/orgs/{getattr(tree, target).pk}/edit/").status_code == 404


def test_given_the_navigation_then_org_and_calendar_items_follow_the_role(users, login):
    labels = [item["label"] for item in login(users.city_staff).get("/orgs/").context["nav_items"]]
    assert "组织机构" in labels and "节假日设置" not in labels
    labels = [item["label"] for item in login(users.sys_admin).get("/orgs/").context["nav_items"]]
    assert "组织机构" in labels
