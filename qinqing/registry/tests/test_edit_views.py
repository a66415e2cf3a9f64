"""The registry's edit screens through the client: masking, HTMX redirects, Chinese errors, scope."""

import datetime

import pytest

from qinqing.core.models import AuditEntry
from qinqing.registry import actions
from qinqing.registry.chambers import actions as actions_chambers
from qinqing.registry.models import ChamberBranch, ChamberRating, EnterpriseContact, EnterpriseYearFigures

ID = "430621199001011234"
MOBILE = "13912345678"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def contact(tree, users):
    return actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四", mobile=MOBILE, id_number=ID)


def test_given_staff_when_adding_contact_by_htmx_then_client_redirect(tree, users, login):
    client = login(users.county_staff)
    response = client.post(
        f"/registry/enterprises/{tree.ent_a.pk}/contacts/new/", {"name": "王五", "mobile": "13800138000"}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Redirect"] == f"/registry/enterprises/{tree.ent_a.pk}/"
    assert EnterpriseContact.objects.get().mobile == "13800138000"


def test_given_bad_contact_form_then_partial_with_errors_naming_fields(tree, users, login):
    client = login(users.county_staff)
    response = client.post(
        f"/registry/enterprises/{tree.ent_a.pk}/contacts/new/", {"name": "", "mobile": "123"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body  # the form alone, swapped in place
    assert "姓名：请填写" in body and "手机号码：" in body
    assert not EnterpriseContact.objects.exists()


def test_given_contacts_then_masked_on_screen_even_for_pii_holder_and_reveal_audited(contact, tree, users, login):
    for user in (users.county_staff, users.leader):
        body = login(user).get(f"/registry/enterprises/{tree.ent_a.pk}/").content.decode()
        assert ID not in body and MOBILE not in body and "139****5678" in body
    body = login(users.leader).get(f"/registry/enterprises/{tree.ent_a.pk}/").content.decode()
    assert f"/registry/contacts/{contact.pk}/reveal/id_number/" in body

    response = login(users.leader).post(f"/registry/contacts/{contact.pk}/reveal/id_number/")

    assert response.content.decode() == ID
    assert AuditEntry.objects.filter(action="registry.reveal_pii", object_id=str(contact.pk)).count() == 1
    assert login(users.county_staff).post(f"/registry/contacts/{contact.pk}/reveal/mobile/").status_code == 403


def test_given_contact_edit_form_then_numbers_masked_and_kept_when_left_as_shown(contact, users, login):
    client = login(users.county_staff)
    body = client.get(f"/registry/contacts/{contact.pk}/edit/").content.decode()
    assert MOBILE not in body and ID not in body

    client.post(
        f"/registry/contacts/{contact.pk}/edit/",
        {"name": "李四", "position": "经理", "mobile": "139****5678", "id_number": "430621********1234"},
    )

    contact.refresh_from_db()
    assert (contact.position, contact.mobile, contact.id_number) == ("经理", MOBILE, ID)
    assert AuditEntry.objects.get(action="registry.update_contact").after == {"position": "经理"}


def test_given_other_county_staff_then_contact_pages_404_and_nothing_changes(contact, tree, users, login):
    client = login(users.county_b_staff)
    assert client.get(f"/registry/contacts/{contact.pk}/edit/").status_code == 404
    assert client.post(f"/registry/contacts/{contact.pk}/remove/").status_code == 404
    assert client.post(f"/registry/enterprises/{tree.ent_a.pk}/contacts/new/", {"name": "X"}).status_code == 404
    assert EnterpriseContact.objects.count() == 1


def test_given_secretary_sees_member_enterprise_but_cannot_edit_its_contacts(contact, chamber, tree, users, login):
    actions.add_member(
        actor=users.secretary, organization=tree.chamber_a, kind="enterprise", enterprise=tree.ent_a,
        joined_on=datetime.date(2020, 1, 1),
    )  # fmt: skip
    client = login(users.secretary)
    assert client.get(f"/registry/enterprises/{tree.ent_a.pk}/").status_code == 200
    assert client.post(f"/registry/contacts/{contact.pk}/remove/").status_code == 404
    assert EnterpriseContact.objects.count() == 1


def test_given_remove_by_get_then_refused(contact, users, login):
    assert login(users.county_staff).get(f"/registry/contacts/{contact.pk}/remove/").status_code == 405


def test_given_year_figures_edit_then_year_fixed_and_remove_works(tree, users, login):
    row = actions.record_year_figures(tree.ent_a, 2024, actor=users.county_staff, revenue_wan=100)
    client = login(users.county_staff)

    client.post(f"/registry/figures/{row.pk}/edit/", {"year": "2020", "revenue_wan": "150", "tax_wan": "3"})

    row.refresh_from_db()
    assert (row.year, row.revenue_wan, row.tax_wan) == (2024, 150, 3)
    assert login(users.county_b_staff).post(f"/registry/figures/{row.pk}/remove/").status_code == 404
    client = login(users.county_staff)
    assert client.post(f"/registry/figures/{row.pk}/remove/").status_code == 302
    assert not EnterpriseYearFigures.objects.exists()


def test_given_negative_figures_then_error_names_field(tree, users, login):
    response = login(users.county_staff).post(
        f"/registry/enterprises/{tree.ent_a.pk}/figures/", {"year": "2024", "revenue_wan": "-5"}
    )
    assert "营业收入（万元）：不能为负数" in response.content.decode()
    assert not EnterpriseYearFigures.objects.exists()


def test_given_chamber_pages_then_terms_ratings_branches_editable_by_right_people(chamber, users, login):
    client = login(users.county_staff)
    body = client.get(f"/registry/chambers/{chamber.pk}/").content.decode()
    assert "/ratings/new/" in body and "/branches/new/" in body

    client.post(f"/registry/chambers/{chamber.pk}/ratings/new/", {"scheme": "four_good_province", "year": "2024"})
    client.post(f"/registry/chambers/{chamber.pk}/branches/new/", {"name": "深圳联络站", "region_code": "440300"})
    assert ChamberRating.objects.filter(chamber=chamber, scheme="four_good_province", year=2024).exists()
    branch = ChamberBranch.objects.get(chamber=chamber)

    secretary = login(users.secretary)
    body = secretary.get(f"/registry/chambers/{chamber.pk}/").content.decode()
    assert "/ratings/new/" not in body and "/branches/new/" in body
    rating = ChamberRating.objects.get()
    assert secretary.post(f"/registry/ratings/{rating.pk}/remove/").status_code == 403
    secretary.post(f"/registry/branches/{branch.pk}/edit/", {"name": "深圳联络站", "contact_name": "周站长"})
    branch.refresh_from_db()
    assert branch.contact_name == "周站长"

    other = login(users.county_b_staff)
    assert other.get(f"/registry/branches/{branch.pk}/edit/").status_code == 404
    assert (
        other.post(f"/registry/chambers/{chamber.pk}/ratings/new/", {"scheme": "five_good", "year": "2024"}).status_code
        == 404
    )
    assert ChamberRating.objects.count() == 1


def test_given_term_edit_with_bad_dates_then_error_naming_field(chamber, users, login):
    term = chamber.terms.get()
    response = login(users.secretary).post(
        f"/registry/terms/{term.pk}/edit/", {"starts_on": "2021-06-01", "ends_on": "2021-05-01"}
    )
    assert "任期届满：必须晚于任期开始日期" in response.content.decode()
    term.refresh_from_db()
    assert term.ends_on > term.starts_on


def test_given_bad_rating_year_then_error_naming_field(chamber, users, login):
    response = login(users.county_staff).post(
        f"/registry/chambers/{chamber.pk}/ratings/new/", {"scheme": "five_good", "year": "3000"}
    )
    assert "年度：不能晚于" in response.content.decode() and not ChamberRating.objects.exists()


def test_given_chamber_edit_then_party_organisation_saved(chamber, users, login):
    client = login(users.secretary)
    data = {"chamber_type": "industry", "registration_status": "registered", "party_org_established": "on",
            "party_members": "5"}  # fmt: skip
    client.post(f"/registry/chambers/{chamber.pk}/edit/", data)
    chamber.refresh_from_db()
    assert chamber.party_org_established and chamber.party_members == 5
    assert (
        "党员人数：请填写"
        in client.post(f"/registry/chambers/{chamber.pk}/edit/", {**data, "party_members": ""}).content.decode()
    )


def test_given_term_remove_then_latest_only(chamber, users, login):
    first = chamber.terms.get()
    second = actions_chambers.start_term(
        chamber, actor=users.county_staff, starts_on=first.ends_on, ends_on=first.ends_on + datetime.timedelta(days=900)
    )
    client = login(users.county_staff)
    client.post(f"/registry/terms/{first.pk}/remove/")
    assert chamber.terms.count() == 2
    client.post(f"/registry/terms/{second.pk}/remove/")
    chamber.refresh_from_db()
    assert chamber.terms.count() == 1 and chamber.term_ends_on == first.ends_on


def test_given_chamber_edit_then_law_firm_linked_and_bad_credit_code_named(chamber, tree, users, login):
    client = login(users.secretary)
    data = {"chamber_type": "industry", "registration_status": "registered", "party_members": "0"}
    assert tree.lawfirm.name in client.get(f"/registry/chambers/{chamber.pk}/edit/").content.decode()

    client.post(f"/registry/chambers/{chamber.pk}/edit/", {**data, "law_firm_id": str(tree.lawfirm.pk)})
    body = client.post(
        f"/registry/chambers/{chamber.pk}/edit/", {**data, "credit_code": "51430621MJ000000X0"}
    ).content.decode()

    chamber.refresh_from_db()
    assert chamber.law_firm_id == tree.lawfirm.pk and chamber.credit_code == ""
    assert "统一社会信用代码：" in body
    other_firm = tree.dept_a  # not a law firm: not offered, refused
    response = client.post(f"/registry/chambers/{chamber.pk}/edit/", {**data, "law_firm_id": str(other_firm.pk)})
    assert "联系律师事务所：请选择列表中的选项" in response.content.decode()
