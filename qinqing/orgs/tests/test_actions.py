"""orgs.actions: creating and editing organisations, with the region table and the actor's scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qinqing.core.models import AuditEntry
from qinqing.orgs.actions import create_organization, update_organization


def test_given_sys_admin_when_creating_a_chamber_under_a_county_then_it_is_saved_and_audited(
    users, tree, hunan_regions
):
    org = create_organization(
        kind="chamber", name="岳阳县湖南商会", region_code="430621", parent=tree.county_a, actor=users.sys_admin
    )
    assert org.path.startswith(tree.county_a.path) and org.code.startswith("C430621")
    entry = AuditEntry.objects.filter(action="orgs.create_organization").first()
    assert entry.object_id == str(org.pk) and entry.actor_name == "sys_admin"


def test_given_a_new_county_fic_then_its_code_and_level_come_from_the_region(users, tree, hunan_regions):
    org = create_organization(
        kind="fic", name="湘阴县工商联", region_code="430624", parent=tree.city, actor=users.sys_admin
    )
    assert org.code == "430624" and org.fic_level == 3 and org.path == f"{tree.city.path}430624/"


def test_given_an_unknown_region_when_creating_then_the_field_is_named(users, tree, hunan_regions):
    with pytest.raises(ValidationError) as exc:
        create_organization(
            kind="chamber", name="某商会", region_code="439999", parent=tree.county_a, actor=users.sys_admin
        )
    assert "不存在" in exc.value.message_dict["region_code"][0]


def test_given_an_abolished_region_when_creating_then_it_is_refused(users, tree, hunan_regions):
    with pytest.raises(ValidationError) as exc:  # 430622 临湘县 became 临湘市 430682 in 1995
        create_organization(
            kind="chamber", name="某商会", region_code="430622", parent=tree.county_a, actor=users.sys_admin
        )
    assert "已撤销" in exc.value.message_dict["region_code"][0]


def test_given_a_fic_outside_its_parents_region_then_it_is_refused(users, tree, hunan_regions):
    with pytest.raises(ValidationError) as exc:
        create_organization(
            kind="fic", name="长沙县工商联", region_code="430121", parent=tree.city, actor=users.sys_admin
        )
    assert "辖区" in exc.value.message_dict["region_code"][0]


def test_given_a_parent_that_is_not_an_fic_then_it_is_refused(users, tree):
    with pytest.raises(ValidationError) as exc:
        create_organization(
            kind="chamber", name="某分会", region_code="430621", parent=tree.chamber_a, actor=users.sys_admin
        )
    assert "parent" in exc.value.message_dict


def test_given_fic_staff_when_creating_then_permission_is_denied(users, tree):
    with pytest.raises(PermissionDenied):
        create_organization(
            kind="chamber", name="某商会", region_code="430621", parent=tree.county_a, actor=users.county_staff
        )


def test_given_a_county_admin_when_creating_under_the_sibling_county_then_it_is_refused(tree, county_admin):
    with pytest.raises(ValidationError) as exc:
        create_organization(
            kind="chamber", name="某商会", region_code="430623", parent=tree.county_b, actor=county_admin
        )
    assert "parent" in exc.value.message_dict


def test_given_an_edit_then_only_changed_fields_are_audited(users, tree):
    update_organization(tree.chamber_a, actor=users.sys_admin, name="岳阳县餐饮商会", contact_phone="0730-1234567")
    tree.chamber_a.refresh_from_db()
    assert tree.chamber_a.name == "岳阳县餐饮商会"
    entry = AuditEntry.objects.filter(action="orgs.update_organization").first()
    assert entry.before == {"name": "岳阳县餐饮行业商会", "contact_phone": ""}
    assert entry.after == {"name": "岳阳县餐饮商会", "contact_phone": "0730-1234567"}


def test_given_a_forbidden_field_when_editing_then_nothing_changes(users, tree):
    with pytest.raises(ValidationError):
        update_organization(tree.chamber_a, actor=users.sys_admin, path="/x/")
    tree.chamber_a.refresh_from_db()
    assert tree.chamber_a.path.startswith(tree.county_a.path)
