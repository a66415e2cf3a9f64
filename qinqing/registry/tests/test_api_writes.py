"""The registry API beyond enterprises: contacts, yearly figures, members, chambers, terms, ratings, branches,
the 换届 due list and the import template. Same actions as the pages (audited), same scope (another
county's object answers 404), a role that may see but not change gets 403, bad input a Chinese 400."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client

from qinqing.core.models import AuditEntry
from qinqing.registry import actions
from qinqing.registry.chambers import actions as actions_chambers
from qinqing.registry.models import (
    Chamber,
    ChamberBranch,
    ChamberRating,
    ChamberTerm,
    Enterprise,
    EnterpriseContact,
    EnterpriseYearFigures,
    Member,
)

from .conftest import make_code

JSON = "application/json"
TODAY = datetime.date.today()


def _as(user) -> Client:
    """A client of its own (the ``login`` fixture signs one shared client in)."""
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, data):
    return client.post(url, data, content_type=JSON)


def _patch(client, url, data):
    return client.patch(url, data, content_type=JSON)


# --- enterprises ---------------------------------------------------------------------------------------


def test_given_staff_when_creating_enterprise_by_api_then_created_under_own_fic_and_audited(tree, users, login):
    response = _post(
        login(users.county_staff),
        "/api/v1/registry/enterprises/",
        {"credit_code": make_code(31), "name": "接口新企业", "industry_code": "C3311", "qualifications": ["srdi"]},
    )
    assert response.status_code == 201
    ent = Enterprise.objects.get(name="接口新企业")
    assert (ent.fic_id, ent.industry_code, ent.qualifications) == (tree.county_a.pk, "3311", "srdi")
    assert AuditEntry.objects.filter(action="registry.create_enterprise", object_id=str(ent.pk)).exists()


def test_given_bad_or_duplicate_credit_code_then_400_naming_field_and_leader_refused(tree, users, login):
    client = login(users.county_staff)
    bad = _post(client, "/api/v1/registry/enterprises/", {"credit_code": "91430621X", "name": "坏代码"})
    dup = _post(client, "/api/v1/registry/enterprises/", {"credit_code": tree.ent_a.credit_code, "name": "重复"})
    assert bad.status_code == 400 and bad.json()["credit_code"][0].startswith("统一社会信用代码：")
    assert dup.status_code == 400 and "已登记" in dup.json()["credit_code"][0]
    leader = _post(login(users.leader), "/api/v1/registry/enterprises/", {"credit_code": make_code(32), "name": "甲"})
    assert leader.status_code == 403
    assert not Enterprise.objects.filter(name__in=["坏代码", "甲"]).exists()


# --- contacts ------------------------------------------------------------------------------------------


def test_given_staff_then_contacts_added_listed_masked_changed_and_removed(
    tree, users, login, django_assert_max_num_queries
):
    client = login(users.county_staff)

    created = _post(
        client, "/api/v1/registry/contacts/", {"enterprise": tree.ent_a.pk, "name": "李四", "mobile": "13912345678"}
    )
    assert created.status_code == 201 and created.json()["mobile"] == "139****5678"
    pk = created.json()["id"]
    with django_assert_max_num_queries(8):
        rows = client.get(f"/api/v1/registry/contacts/?enterprise={tree.ent_a.pk}").json()["results"]
    assert [row["name"] for row in rows] == ["李四"]

    kept = _patch(client, f"/api/v1/registry/contacts/{pk}/", {"mobile": "139****5678", "position": "财务"})
    assert kept.status_code == 200 and EnterpriseContact.objects.get(pk=pk).mobile == "13912345678"
    bad = _patch(client, f"/api/v1/registry/contacts/{pk}/", {"mobile": "123"})
    assert bad.status_code == 400 and bad.json()["mobile"][0].startswith("手机号码：")

    assert client.delete(f"/api/v1/registry/contacts/{pk}/").status_code == 204
    assert not EnterpriseContact.objects.exists()
    assert AuditEntry.objects.filter(action="registry.remove_contact").count() == 1


def test_given_other_county_or_secretary_then_contacts_404_or_403_and_unchanged(chamber, tree, users, login):
    contact = actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四")
    actions.add_member(
        actor=users.county_staff, organization=tree.chamber_a, kind="enterprise", enterprise=tree.ent_a,
        joined_on=datetime.date(2020, 1, 1),
    )  # fmt: skip
    other = login(users.county_b_staff)
    assert other.get(f"/api/v1/registry/contacts/{contact.pk}/").status_code == 404
    assert _patch(other, f"/api/v1/registry/contacts/{contact.pk}/", {"name": "改"}).status_code == 404
    assert other.get("/api/v1/registry/contacts/").json()["results"] == []
    created = _post(other, "/api/v1/registry/contacts/", {"enterprise": tree.ent_a.pk, "name": "越界"})
    assert created.status_code == 400 and created.json()["enterprise"][0].startswith("企业：")

    secretary = login(users.secretary)  # sees the member enterprise, may not change it
    assert secretary.get(f"/api/v1/registry/contacts/{contact.pk}/").status_code == 200
    assert secretary.delete(f"/api/v1/registry/contacts/{contact.pk}/").status_code == 403
    assert EnterpriseContact.objects.get(pk=contact.pk).name == "李四"


# --- yearly figures ------------------------------------------------------------------------------------


def test_given_staff_then_year_figures_entered_corrected_and_removed_by_api(tree, users, login):
    client = login(users.county_staff)
    first = _post(client, "/api/v1/registry/figures/", {"enterprise": tree.ent_a.pk, "year": 2023, "tax_wan": "5"})
    second = _post(client, "/api/v1/registry/figures/", {"enterprise": tree.ent_a.pk, "year": 2024, "employees": 30})
    assert first.status_code == second.status_code == 201
    assert EnterpriseYearFigures.objects.filter(enterprise=tree.ent_a).count() == 2  # a new year, not overwritten

    corrected = _patch(client, f"/api/v1/registry/figures/{first.json()['id']}/", {"tax_wan": "6.5"})
    assert corrected.status_code == 200 and corrected.json()["tax_wan"] == "6.50"
    future = _post(client, "/api/v1/registry/figures/", {"enterprise": tree.ent_a.pk, "year": TODAY.year + 1})
    assert future.status_code == 400 and future.json()["year"][0].startswith("年度：")

    assert client.delete(f"/api/v1/registry/figures/{first.json()['id']}/").status_code == 204
    assert list(EnterpriseYearFigures.objects.values_list("year", flat=True)) == [2024]


def test_given_enterprise_user_then_own_figures_only(tree, users, login):
    client = login(users.enterprise)
    own = _post(client, "/api/v1/registry/figures/", {"enterprise": tree.ent_a.pk, "year": 2024, "employees": 9})
    other = _post(client, "/api/v1/registry/figures/", {"enterprise": tree.ent_b.pk, "year": 2024, "employees": 9})
    assert own.status_code == 201 and other.status_code == 400
    assert not EnterpriseYearFigures.objects.filter(enterprise=tree.ent_b).exists()


# --- members -------------------------------------------------------------------------------------------


def test_given_staff_then_members_of_each_kind_added_and_changed_by_api(
    tree, users, login, django_assert_max_num_queries
):
    client = login(users.county_staff)
    base = {"organization": tree.county_a.pk, "joined_on": "2024-01-01"}

    ent = _post(
        client, "/api/v1/registry/members/", {**base, "kind": "enterprise", "credit_code": tree.ent_a.credit_code}
    )
    group = _post(client, "/api/v1/registry/members/", {**base, "kind": "group", "group": tree.chamber_a.pk})
    assoc = _post(
        client,
        "/api/v1/registry/members/",
        {**base, "kind": "group", "group_name": "岳阳县个体劳动者协会", "represented_enterprises": 40},
    )
    person = _post(client, "/api/v1/registry/members/", {**base, "kind": "individual", "person_name": "赵六"})

    assert [r.status_code for r in (ent, group, assoc, person)] == [201, 201, 201, 201]
    assert assoc.json()["represented"] == 40 and group.json()["represented"] == 0
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/registry/members/").json()["results"]
    assert {row["name"] for row in listed} == {tree.ent_a.name, tree.chamber_a.name, "岳阳县个体劳动者协会", "赵六"}

    changed = _patch(client, f"/api/v1/registry/members/{person.json()['id']}/", {"role": "executive"})
    assert changed.status_code == 200 and Member.objects.get(pk=person.json()["id"]).role == "executive"
    bad = _patch(client, f"/api/v1/registry/members/{person.json()['id']}/", {"id_number": "430621199001011230"})
    assert bad.status_code == 400 and bad.json()["id_number"][0].startswith("身份证号：")


def test_given_other_county_staff_then_members_of_county_a_out_of_reach(tree, users, login):
    member = actions.add_member(
        actor=users.county_staff, organization=tree.county_a, kind="individual", person_name="赵六",
        joined_on=datetime.date(2024, 1, 1),
    )  # fmt: skip
    client = login(users.county_b_staff)
    assert client.get(f"/api/v1/registry/members/{member.pk}/").status_code == 404
    assert _patch(client, f"/api/v1/registry/members/{member.pk}/", {"role": "chair"}).status_code == 404
    into_a = _post(
        client,
        "/api/v1/registry/members/",
        {"organization": tree.county_a.pk, "kind": "individual", "person_name": "越界", "joined_on": "2024-01-01"},
    )
    assert into_a.status_code == 400 and into_a.json()["organization"][0].startswith("入会组织：")
    assert not Member.objects.filter(person_name="越界").exists()


# --- chambers and their parts --------------------------------------------------------------------------


def test_given_staff_then_chamber_registered_and_changed_by_api_and_secretary_cannot_register(tree, users, login):
    client = login(users.county_staff)
    created = _post(
        client,
        "/api/v1/registry/chambers/",
        {"name": "岳阳县物流商会", "fic": tree.county_a.pk, "chamber_type": "industry"},
    )
    assert created.status_code == 201 and created.json()["name"] == "岳阳县物流商会"
    pk = created.json()["id"]
    changed = _patch(client, f"/api/v1/registry/chambers/{pk}/", {"party_org_established": True, "party_members": 5})
    assert changed.status_code == 200 and Chamber.objects.get(pk=pk).party_members == 5
    firm = _patch(client, f"/api/v1/registry/chambers/{pk}/", {"law_firm_id": tree.county_b.pk})
    assert firm.status_code == 400 and firm.json()["law_firm_id"][0].startswith("联系律师事务所：")

    refused = _post(
        login(users.secretary),
        "/api/v1/registry/chambers/",
        {"name": "秘书处商会", "fic": tree.county_a.pk, "chamber_type": "other"},
    )
    assert refused.status_code == 403
    under_a = _post(
        login(users.county_b_staff),
        "/api/v1/registry/chambers/",
        {"name": "越界商会", "fic": tree.county_a.pk, "chamber_type": "other"},
    )
    assert under_a.status_code == 400 and under_a.json()["fic"][0].startswith("所属工商联：")
    assert not Chamber.objects.filter(organization__name__in=["秘书处商会", "越界商会"]).exists()


def test_given_chamber_then_terms_branches_ratings_kept_by_api_with_scope(
    chamber, users, login, django_assert_max_num_queries
):
    staff, secretary = _as(users.county_staff), _as(users.secretary)

    term = _post(
        secretary,
        "/api/v1/registry/terms/",
        {"chamber": chamber.pk, "starts_on": str(TODAY), "ends_on": str(TODAY.replace(year=TODAY.year + 5))},
    )
    assert term.status_code == 201 and term.json()["number"] == 2
    assert Chamber.objects.get(pk=chamber.pk).term_ends_on == TODAY.replace(year=TODAY.year + 5)
    bad_term = _patch(staff, f"/api/v1/registry/terms/{term.json()['id']}/", {"ends_on": "2000-01-01"})
    assert bad_term.status_code == 400 and bad_term.json()["ends_on"][0].startswith("任期届满：")

    branch = _post(
        secretary, "/api/v1/registry/branches/", {"chamber": chamber.pk, "name": "长沙联络站", "region_code": "430100"}
    )
    assert branch.status_code == 201
    bad_branch = _post(
        secretary, "/api/v1/registry/branches/", {"chamber": chamber.pk, "name": "坏站", "region_code": "999999"}
    )
    assert bad_branch.status_code == 400 and bad_branch.json()["region_code"][0].startswith("所在行政区划：")

    assert (
        _post(
            secretary, "/api/v1/registry/ratings/", {"chamber": chamber.pk, "scheme": "five_good", "year": 2024}
        ).status_code
        == 403
    )
    rating = _post(staff, "/api/v1/registry/ratings/", {"chamber": chamber.pk, "scheme": "five_good", "year": 2024})
    assert rating.status_code == 201
    for url in ("terms", "branches", "ratings"):
        with django_assert_max_num_queries(8):
            assert len(staff.get(f"/api/v1/registry/{url}/?chamber={chamber.pk}").json()["results"]) >= 1

    other = _as(users.county_b_staff)
    assert other.get(f"/api/v1/registry/branches/{branch.json()['id']}/").status_code == 404
    assert other.delete(f"/api/v1/registry/ratings/{rating.json()['id']}/").status_code == 404
    assert other.get("/api/v1/registry/terms/").json()["results"] == []
    assert ChamberRating.objects.count() == 1 and ChamberBranch.objects.count() == 1

    assert staff.delete(f"/api/v1/registry/ratings/{rating.json()['id']}/").status_code == 204
    assert secretary.delete(f"/api/v1/registry/branches/{branch.json()['id']}/").status_code == 204
    first = ChamberTerm.objects.get(chamber=chamber, number=1)
    assert staff.delete(f"/api/v1/registry/terms/{first.pk}/").status_code == 400  # only the latest term goes
    assert AuditEntry.objects.filter(action="registry.add_rating").count() == 1


def test_given_term_due_list_then_chambers_ending_within_90_days_in_scope(
    chamber, tree, users, login, django_assert_max_num_queries
):
    later = actions_chambers.register_chamber(tree.chamber_b, actor=users.county_b_staff, chamber_type="market")
    actions_chambers.start_term(
        later,
        actor=users.county_b_staff,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=TODAY + datetime.timedelta(days=400),
    )
    client = login(users.city_staff)
    with django_assert_max_num_queries(11):  # session, user, org, count, page, 3 prefetches, session save
        rows = client.get("/api/v1/registry/chambers/term-due/").json()["results"]
    assert [row["id"] for row in rows] == [chamber.pk]  # 30 days left; the other ends in 400
    assert login(users.county_b_staff).get("/api/v1/registry/chambers/term-due/").json()["results"] == []
    assert login(users.enterprise).get("/api/v1/registry/chambers/term-due/").status_code == 403


# --- import template -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["enterprises", "members", "chambers"])
def test_given_import_right_then_template_downloads_with_the_import_columns(kind, users, login):
    response = login(users.county_staff).get(f"/api/v1/registry/imports/template/{kind}/")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers and all(headers)


def test_given_no_import_right_or_unknown_kind_then_template_refused(users, login):
    assert login(users.leader).get("/api/v1/registry/imports/template/enterprises/").status_code == 403
    assert login(users.county_staff).get("/api/v1/registry/imports/template/nothing/").status_code == 404
