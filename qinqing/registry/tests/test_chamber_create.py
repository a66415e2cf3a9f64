"""The chamber registration page: FIC staff register a chamber of their subtree (an existing node or a new
one), errors in Chinese naming the field, nothing written on bad input, no reach into another county."""

from qinqing.core.models import AuditEntry
from qinqing.orgs.models import Organization
from qinqing.registry.models import Chamber

HTMX = {"HTTP_HX_REQUEST": "true"}


def _data(**over):
    data = {
        "organization": "",
        "name": "",
        "fic": "",
        "region_code": "",
        "chamber_type": "industry",
        "registration_status": "registered",
        "credit_code": "",
        "registered_on": "",
        "party_members": "0",
        "note": "",
    }
    data.update(over)
    return data


def test_given_county_staff_when_registering_a_new_chamber_then_node_and_record_made_and_audited(tree, users, login):
    client = login(users.county_staff)

    response = client.post(
        "/registry/chambers/new/",
        _data(name="岳阳县电子商务协会", fic=tree.county_a.pk, chamber_type="other", party_members="3"),
        **HTMX,
    )

    chamber = Chamber.objects.get(organization__name="岳阳县电子商务协会")
    assert response["HX-Redirect"] == f"/registry/chambers/{chamber.pk}/"
    assert chamber.organization.parent_id == tree.county_a.pk and chamber.org_path.startswith(tree.county_a.path)
    assert (chamber.chamber_type, chamber.party_members, chamber.organization.region_code) == ("other", 3, "430621")
    assert AuditEntry.objects.filter(action="registry.register_chamber", object_id=str(chamber.pk)).exists()
    assert "岳阳县电子商务协会" in client.get("/registry/chambers/").content.decode()


def test_given_existing_chamber_node_without_record_when_registered_then_record_attached(tree, users, login):
    response = login(users.county_staff).post(
        "/registry/chambers/new/", _data(organization=tree.chamber_a.pk, chamber_type="market"), **HTMX
    )
    chamber = Chamber.objects.get(organization=tree.chamber_a)
    assert response["HX-Redirect"] == f"/registry/chambers/{chamber.pk}/" and chamber.chamber_type == "market"


def test_given_bad_input_then_errors_in_chinese_naming_fields_and_nothing_written(tree, users, login):
    client = login(users.county_staff)
    nodes = Organization.objects.count()

    missing = client.post("/registry/chambers/new/", _data(), **HTMX).content.decode()
    bad = client.post(
        "/registry/chambers/new/",
        _data(name="岳阳县新商会", fic=tree.county_a.pk, credit_code="123", region_code="999999"),
        **HTMX,
    ).content.decode()
    duplicate = client.post(
        "/registry/chambers/new/", _data(name=tree.chamber_a.name, fic=tree.county_a.pk), **HTMX
    ).content.decode()

    assert "商会名称：请选择已有商会组织，或填写新商会的名称" in missing and "所属工商联：新建商会请选择" in missing
    assert "统一社会信用代码：" in bad and "行政区划代码：“999999”不是有效的行政区划代码" in bad
    assert f"商会名称：“{tree.county_a.name}”下已有“{tree.chamber_a.name}”" in duplicate
    assert Organization.objects.count() == nodes and not Chamber.objects.exists()


def test_given_other_county_staff_then_cannot_register_under_a_node_they_do_not_see(tree, users, login):
    client = login(users.county_b_staff)
    page = client.get("/registry/chambers/new/").content.decode()
    assert tree.county_a.name not in page and tree.chamber_a.name not in page

    under = client.post("/registry/chambers/new/", _data(name="越界商会", fic=tree.county_a.pk), **HTMX)
    attach = client.post("/registry/chambers/new/", _data(organization=tree.chamber_a.pk), **HTMX)

    assert "所属工商联：请选择列表中的选项" in under.content.decode()
    assert "已有商会组织：请选择列表中的选项" in attach.content.decode()
    assert not Chamber.objects.exists() and not Organization.objects.filter(name="越界商会").exists()


def test_given_roles_without_chamber_change_right_then_page_refused(users, login):
    for user in (users.secretary, users.leader, users.enterprise):
        assert login(user).get("/registry/chambers/new/").status_code == 403
