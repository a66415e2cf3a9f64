"""Actions behind the registry's edit screens: contacts, yearly figures, terms, ratings, branches, party organisation.

Given / when / then; every write leaves exactly one audit row, bad input names the field and changes nothing.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinqing.core.models import AuditEntry
from qinqing.registry import actions
from qinqing.registry.chambers import actions as actions_chambers
from qinqing.registry.models import ChamberBranch, ChamberRating, ChamberTerm, EnterpriseContact, EnterpriseYearFigures

ID = "430621199001011234"
MOBILE = "13912345678"


def audit_rows(action: str):
    return AuditEntry.objects.filter(action=action)


# --- contacts -----------------------------------------------------------------------------------


def test_given_staff_when_adding_contact_then_saved_normalised_and_audited_masked(tree, users):
    contact = actions.add_contact(
        tree.ent_a,
        actor=users.county_staff,
        name=" 李四 ",
        position="财务总监",
        mobile="+86 139-1234-5678",
        id_number=ID,
    )

    assert (contact.name, contact.mobile, contact.id_number) == ("李四", MOBILE, ID)
    row = audit_rows("registry.add_contact").get()
    assert row.object_id == str(tree.ent_a.pk) and row.actor == users.county_staff
    assert row.after["mobile"] == "139****5678" and ID not in str(row.after)


def test_given_bad_numbers_when_adding_contact_then_errors_name_the_fields_and_nothing_saved(tree, users):
    with pytest.raises(ValidationError) as caught:
        actions.add_contact(
            tree.ent_a, actor=users.county_staff, name="李四", mobile="1391234", id_number="430621199001011232"
        )

    errors = caught.value.message_dict
    assert errors["mobile"][0].startswith("手机号码：") and errors["id_number"][0].startswith("身份证号：")
    assert not EnterpriseContact.objects.exists() and not audit_rows("registry.add_contact").exists()


def test_given_contact_when_updated_and_removed_then_audited_with_before_and_after(tree, users):
    contact = actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四", mobile=MOBILE)

    actions.update_contact(contact, actor=users.county_staff, position="总经理", mobile="13800138000")
    actions.remove_contact(contact, actor=users.county_staff)

    update = audit_rows("registry.update_contact").get()
    assert update.before == {"position": "", "mobile": "139****5678"}
    assert update.after == {"position": "总经理", "mobile": "138****8000"}
    assert audit_rows("registry.remove_contact").get().before["name"] == "李四"
    assert not EnterpriseContact.objects.exists()


def test_given_other_county_staff_or_liaison_when_adding_contact_then_denied(tree, users):
    for actor in (users.county_b_staff, users.liaison):
        with pytest.raises(PermissionDenied):
            actions.add_contact(tree.ent_a, actor=actor, name="李四")
    assert not EnterpriseContact.objects.exists()


def test_given_enterprise_user_then_keeps_own_contacts_only(tree, users):
    actions.add_contact(tree.ent_a, actor=users.enterprise, name="王五")
    with pytest.raises(PermissionDenied):
        actions.add_contact(tree.ent_b, actor=users.enterprise, name="王五")
    assert EnterpriseContact.objects.filter(enterprise=tree.ent_a).count() == 1


def test_given_contact_reveal_then_full_number_for_pii_holder_and_audited(tree, users):
    contact = actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四", id_number=ID)

    assert actions.reveal_pii(contact, "id_number", actor=users.leader) == ID
    row = audit_rows("registry.reveal_pii").get()
    assert (
        row.object_type == "registry.enterprisecontact"
        and ID not in row.message
        and row.after == {"field": "id_number"}
    )
    with pytest.raises(PermissionDenied):
        actions.reveal_pii(contact, "id_number", actor=users.county_staff)


# --- yearly figures -----------------------------------------------------------------------------


def test_given_year_figures_when_corrected_then_same_row_and_removed_then_gone(tree, users):
    first = actions.record_year_figures(tree.ent_a, 2024, actor=users.county_staff, revenue_wan=100, tax_wan=5)
    again = actions.record_year_figures(tree.ent_a, 2024, actor=users.county_staff, tax_wan=6)
    assert first.pk == again.pk and again.tax_wan == 6

    actions.remove_year_figures(again, actor=users.county_staff)

    assert not EnterpriseYearFigures.objects.exists()
    assert audit_rows("registry.remove_year_figures").get().before["year"] == 2024


def test_given_future_year_then_refused_naming_the_year(tree, users):
    with pytest.raises(ValidationError) as caught:
        actions.record_year_figures(tree.ent_a, datetime.date.today().year + 1, actor=users.county_staff)
    assert caught.value.message_dict["year"][0].startswith("年度：")


# --- chambers -----------------------------------------------------------------------------------


def test_given_new_term_then_due_date_moves_and_removing_it_restores_the_previous(chamber, users):
    first = chamber.terms.get()
    second = actions_chambers.start_term(
        chamber,
        actor=users.secretary,
        starts_on=first.ends_on,
        ends_on=first.ends_on + datetime.timedelta(days=5 * 365),
        president="李会长",
    )
    chamber.refresh_from_db()
    assert (second.number, chamber.term_ends_on) == (2, second.ends_on)

    actions_chambers.update_term(second, actor=users.secretary, secretary_general="赵秘书长")
    with pytest.raises(ValidationError) as caught:
        actions_chambers.remove_term(first, actor=users.secretary)
    assert "只能删除最近一届" in caught.value.message_dict["number"][0]

    actions_chambers.remove_term(second, actor=users.secretary)
    chamber.refresh_from_db()
    assert chamber.term_ends_on == first.ends_on and ChamberTerm.objects.filter(chamber=chamber).count() == 1
    assert audit_rows("registry.update_term").get().after == {"secretary_general": "赵秘书长"}
    assert audit_rows("registry.remove_term").count() == 1


def test_given_term_ending_before_it_starts_then_refused_naming_field(chamber, users):
    term = chamber.terms.get()
    with pytest.raises(ValidationError) as caught:
        actions_chambers.update_term(term, actor=users.county_staff, ends_on=term.starts_on)
    assert caught.value.message_dict["ends_on"] == ["任期届满：必须晚于任期开始日期"]
    term.refresh_from_db()
    assert term.ends_on > term.starts_on


def test_given_rating_then_fic_staff_only_once_per_year_and_removable(chamber, users):
    rating = actions_chambers.add_rating(chamber, actor=users.county_staff, scheme="four_good_city", year=2024)
    with pytest.raises(ValidationError) as caught:
        actions_chambers.add_rating(chamber, actor=users.county_staff, scheme="four_good_city", year=2024)
    assert caught.value.message_dict["scheme"][0].startswith("评定：2024年度已有")
    with pytest.raises(PermissionDenied):  # a chamber does not rate itself
        actions_chambers.add_rating(chamber, actor=users.secretary, scheme="four_good_province", year=2024)
    with pytest.raises(ValidationError):
        actions_chambers.add_rating(chamber, actor=users.county_staff, scheme="four_good_city", year=1980)

    actions_chambers.remove_rating(rating, actor=users.county_staff)

    assert not ChamberRating.objects.exists()
    assert audit_rows("registry.add_rating").count() == 1 and audit_rows("registry.remove_rating").count() == 1


def test_given_branch_then_region_validated_names_unique_and_edits_audited(chamber, users):
    branch = actions_chambers.add_branch(chamber, actor=users.secretary, name="长沙联络站", region_code="430100")
    with pytest.raises(ValidationError) as caught:
        actions_chambers.add_branch(chamber, actor=users.secretary, name="长沙联络站", region_code="999999")
    assert set(caught.value.message_dict) == {"name", "region_code"}

    actions_chambers.update_branch(branch, actor=users.secretary, contact_name="周站长")
    actions_chambers.remove_branch(branch, actor=users.secretary)

    assert not ChamberBranch.objects.exists()
    assert [r.action for r in AuditEntry.objects.filter(action__endswith="_branch").order_by("id")] == [
        "registry.add_branch",
        "registry.update_branch",
        "registry.remove_branch",
    ]


def test_given_party_organisation_when_updated_then_audited_and_other_county_denied(chamber, users):
    actions_chambers.update_chamber(chamber, actor=users.secretary, party_org_established=True, party_members=7)
    row = audit_rows("registry.update_chamber").get()
    assert row.after == {"party_org_established": True, "party_members": 7}
    with pytest.raises(PermissionDenied):
        actions_chambers.update_chamber(chamber, actor=users.county_b_staff, party_members=1)
    with pytest.raises(ValidationError) as caught:
        actions_chambers.update_chamber(chamber, actor=users.secretary, party_members=-1)
    assert caught.value.message_dict["party_members"] == ["党员人数：不能为负数"]
