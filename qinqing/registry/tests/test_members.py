"""Members of all three kinds: the add page (enterprise, group, individual), what a group member passes
down (the organisation it stands for, the enterprises it represents) and the statistics of group members."""

import datetime

import pytest

from qinqing.core.models import AuditEntry
from qinqing.registry import actions, statistics
from qinqing.registry.models import Member
from qinqing.registry.standards import idcard

from .conftest import make_code

HTMX = {"HTTP_HX_REQUEST": "true"}
ID = "43062119850315" + "123"
ID = ID + idcard.check_char(ID)
D = datetime.date


def _post(client, **data):
    base = {"role": "member", "joined_on": "2024-03-01", "left_on": ""}
    return client.post("/registry/members/new/", {**base, **data}, **HTMX)


def _enterprise(users, tree, n, name):
    return actions.create_enterprise(actor=users.county_staff, fic=tree.county_a, credit_code=make_code(n), name=name)


# --- the add page ---------------------------------------------------------------------------------------


def test_given_staff_when_adding_individual_with_valid_id_then_member_created_and_number_masked(tree, users, login):
    client = login(users.county_staff)

    response = _post(
        client, kind="individual", organization=tree.county_a.pk, person_name="赵六", id_number=ID, mobile="13712345678"
    )

    member = Member.objects.get(person_name="赵六")
    assert response["HX-Redirect"] == f"/registry/members/{member.pk}/"
    assert (member.kind, member.id_number, member.mobile) == ("individual", ID, "13712345678")
    body = client.get(f"/registry/members/{member.pk}/").content.decode()
    assert ID not in body and idcard.mask(ID) in body
    assert AuditEntry.objects.filter(action="registry.add_member", object_id=str(member.pk)).exists()


def test_given_individual_with_bad_id_checksum_then_error_names_field_and_nothing_created(tree, users, login):
    wrong = ID[:17] + ("0" if ID[17] != "0" else "1")

    response = _post(
        login(users.county_staff), kind="individual", organization=tree.county_a.pk, person_name="赵六", id_number=wrong
    )

    assert "身份证号：身份证号码校验码错误" in response.content.decode()
    assert not Member.objects.exists()


def test_given_individual_without_name_then_named_error(tree, users, login):
    response = _post(login(users.county_staff), kind="individual", organization=tree.county_a.pk)
    assert "姓名：个人会员请填写" in response.content.decode() and not Member.objects.exists()


def test_given_staff_when_adding_registry_chamber_as_group_then_it_represents_its_enterprise_members(
    tree, users, login
):
    e1, e2 = _enterprise(users, tree, 11, "甲公司"), _enterprise(users, tree, 12, "乙公司")
    for ent in (e1, e2):
        actions.add_member(
            actor=users.county_staff,
            organization=tree.chamber_a,
            kind="enterprise",
            enterprise=ent,
            joined_on=D(2020, 1, 1),
        )
    client = login(users.county_staff)

    response = _post(client, kind="group", organization=tree.county_a.pk, group=tree.chamber_a.pk)

    member = Member.objects.get(kind="group")
    assert response["HX-Redirect"] == f"/registry/members/{member.pk}/"
    assert member.group_id == tree.chamber_a.pk and member.display_name == tree.chamber_a.name
    body = client.get(f"/registry/members/{member.pk}/").content.decode()
    assert 'id="represented">2' in body and "该商会的在册企业会员" in body


def test_given_staff_when_adding_outside_association_then_name_and_declared_enterprises_kept(tree, users, login):
    client = login(users.county_staff)

    _post(
        client,
        kind="group",
        organization=tree.county_a.pk,
        group_name="岳阳县个体劳动者协会",
        represented_enterprises="40",
        person_name="钱会长",
    )

    member = Member.objects.get(kind="group")
    assert (member.group_id, member.group_name, member.represented_enterprises) == (None, "岳阳县个体劳动者协会", 40)
    assert member.represented_count() == 40
    body = client.get("/registry/members/?q=个体劳动者").content.decode()
    assert "岳阳县个体劳动者协会" in body


def test_given_group_without_chamber_or_name_then_named_error_and_nothing_created(tree, users, login):
    response = _post(login(users.county_staff), kind="group", organization=tree.county_a.pk)
    assert "团体会员单位名称：请选择登记在册的商会，或填写协会名称" in response.content.decode()
    assert not Member.objects.exists()


def test_given_staff_when_adding_enterprise_member_then_still_by_credit_code(tree, users, login):
    ent = _enterprise(users, tree, 13, "丙公司")
    _post(login(users.county_staff), kind="enterprise", organization=tree.county_a.pk, credit_code=ent.credit_code)
    assert Member.objects.get().enterprise_id == ent.pk


def test_given_secretary_then_adds_individual_to_own_chamber_but_not_elsewhere_and_sees_no_other_chamber(
    chamber, tree, users, login
):
    client = login(users.secretary)
    page = client.get("/registry/members/new/").content.decode()
    assert tree.county_a.name not in page and 'name="group"' not in page  # no chamber list to choose from

    _post(client, kind="individual", organization=tree.chamber_a.pk, person_name="孙七")
    refused = _post(client, kind="individual", organization=tree.county_a.pk, person_name="周八")

    assert Member.objects.filter(organization=tree.chamber_a, person_name="孙七").exists()
    assert "入会组织：请选择列表中的选项" in refused.content.decode()
    assert not Member.objects.filter(person_name="周八").exists()


def test_given_other_county_staff_when_naming_county_a_chamber_as_group_then_refused(tree, users, login):
    response = _post(login(users.county_b_staff), kind="group", organization=tree.county_b.pk, group=tree.chamber_a.pk)
    assert "团体会员单位（登记在册的商会）：请选择列表中的选项" in response.content.decode()
    assert not Member.objects.exists()


def test_given_user_without_member_permission_then_add_page_refused(users, login):
    assert login(users.liaison).get("/registry/members/new/").status_code == 403
    assert login(users.enterprise).get("/registry/members/new/").status_code == 403


# --- statistics -----------------------------------------------------------------------------------------


@pytest.fixture
def groups(tree, users):
    """County A: 甲 is a direct member and a member of chamber A; 乙 only of chamber A; 丁 left chamber A in
    2023. Chamber A and an outside association (40 enterprises declared) are group members of the county."""
    staff = users.county_staff
    e1, e2, e3 = (_enterprise(users, tree, 20 + i, name) for i, name in enumerate(["甲公司", "乙公司", "丁公司"]))
    actions.add_member(
        actor=staff, organization=tree.county_a, kind="enterprise", enterprise=e1, joined_on=D(2020, 1, 1)
    )
    for ent, left in ((e1, None), (e2, None), (e3, D(2023, 6, 30))):
        actions.add_member(
            actor=staff,
            organization=tree.chamber_a,
            kind="enterprise",
            enterprise=ent,
            joined_on=D(2021, 1, 1),
            left_on=left,
        )
    actions.add_member(
        actor=staff, organization=tree.county_a, kind="group", group=tree.chamber_a, joined_on=D(2022, 1, 1)
    )
    actions.add_member(
        actor=staff,
        organization=tree.county_a,
        kind="group",
        group_name="岳阳县个体劳动者协会",
        represented_enterprises=40,
        joined_on=D(2024, 5, 1),
    )


def test_given_group_members_when_counting_the_county_roll_then_enterprises_passed_down_counted_once(groups, tree):
    figures = statistics.group_members(Member.objects.filter(organization=tree.county_a), 2024)

    assert (figures["count"], figures["chambers"], figures["associations"]) == (2, 1, 1)
    assert (figures["represented_in_registry"], figures["represented_declared"], figures["represented"]) == (2, 40, 42)
    assert (figures["direct"], figures["also_direct"]) == (1, 1)
    assert figures["reached"] == 42  # 甲 (direct and through the chamber, once) + 乙 + 40 declared


def test_given_group_members_when_counting_an_earlier_year_then_later_groups_left_out(groups, tree):
    figures = statistics.group_members(Member.objects.filter(organization=tree.county_a), 2022)
    # 2022: the chamber only; it then held 甲, 乙 and 丁 (who left in 2023).
    assert (figures["count"], figures["represented"], figures["reached"]) == (1, 3, 3)


def test_given_group_members_then_overview_page_and_api_report_them(groups, users, login):
    client = login(users.county_staff)
    body = client.get("/registry/?year=2024").content.decode()
    assert "团体会员代表的企业" in body and "联系企业合计（不重复）" in body

    data = client.get("/api/v1/registry/statistics/?year=2024").json()["group_members"]
    assert (data["count"], data["represented"]) == (2, 42)
    # The county's whole subtree: 甲 and 乙 are direct members somewhere in it, so they are not added again.
    assert data["reached"] == 2 + 40


def test_given_county_b_staff_then_county_a_group_members_not_counted(groups, users, login):
    data = login(users.county_b_staff).get("/api/v1/registry/statistics/?year=2024").json()["group_members"]
    assert data["count"] == 0 and data["reached"] == 0


# --- editing what a kind carries --------------------------------------------------------------------------


def _edit(client, member, **data):
    base = {"role": member.role, "joined_on": str(member.joined_on), "left_on": ""}
    return client.post(f"/registry/members/{member.pk}/", {**base, **data}, **HTMX)


def test_given_individual_when_edited_then_masked_number_kept_and_bad_one_named(tree, users, login):
    member = actions.add_member(
        actor=users.county_staff, organization=tree.county_a, kind="individual", person_name="赵六", id_number=ID,
        mobile="13712345678", joined_on=D(2024, 1, 1),
    )  # fmt: skip
    client = login(users.county_staff)
    page = client.get(f"/registry/members/{member.pk}/").content.decode()
    assert ID not in page and "13712345678" not in page  # masked in the form too

    kept = _edit(client, member, person_name="赵六六", id_number=idcard.mask(ID), mobile="137****5678")
    bad = _edit(client, member, person_name="赵七", id_number=ID[:17] + ("0" if ID[17] != "0" else "1"))

    assert kept["HX-Redirect"] == f"/registry/members/{member.pk}/"
    assert "身份证号：身份证号码校验码错误" in bad.content.decode()
    member.refresh_from_db()
    assert (member.person_name, member.id_number, member.mobile) == ("赵六六", ID, "13712345678")


def test_given_outside_association_when_its_declared_enterprises_change_then_statistics_follow(tree, users, login):
    member = actions.add_member(
        actor=users.county_staff, organization=tree.county_a, kind="group", group_name="岳阳县个体劳动者协会",
        represented_enterprises=40, joined_on=D(2024, 1, 1),
    )  # fmt: skip

    _edit(login(users.county_staff), member, group_name="岳阳县个体劳动者协会", represented_enterprises="55")

    figures = statistics.group_members(Member.objects.all(), D.today().year)
    assert figures["represented_declared"] == 55
    assert AuditEntry.objects.filter(action="registry.update_member", object_id=str(member.pk)).exists()


def test_given_secretary_then_cannot_edit_another_organisations_member(chamber, tree, users, login):
    member = actions.add_member(
        actor=users.county_staff, organization=tree.county_a, kind="individual", person_name="赵六",
        joined_on=D(2024, 1, 1),
    )  # fmt: skip
    response = _edit(login(users.secretary), member, person_name="改名")
    assert response.status_code == 404 and Member.objects.get(pk=member.pk).person_name == "赵六"


def test_given_members_of_every_kind_then_list_page_shows_them_with_bounded_queries(
    groups, tree, users, login, django_assert_max_num_queries
):
    for i in range(6):
        actions.add_member(
            actor=users.county_staff, organization=tree.county_a, kind="individual", person_name=f"会员{i}",
            joined_on=D(2024, 1, 1),
        )  # fmt: skip
    client = login(users.county_staff)

    with django_assert_max_num_queries(12):
        body = client.get("/registry/members/").content.decode()

    assert tree.chamber_a.name in body and "岳阳县个体劳动者协会" in body and "会员5" in body and "甲公司" in body
