"""Registry pages through the client: scope, restricted permissions, masking, import flow."""

import datetime
from urllib.parse import quote

import pytest

from qinqing.core.models import AuditEntry, Job
from qinqing.registry import actions
from qinqing.registry.models import Enterprise, Member

from .conftest import enterprise_row, make_code


@pytest.fixture
def ent(tree, users):
    return actions.create_enterprise(
        actor=users.county_staff,
        fic=tree.county_a,
        credit_code=make_code(1),
        name="岳阳县测试科技有限公司",
        legal_rep_id_number="430621199001011234",
        contact_mobile="13912345678",
        industry_code="1391",
        employees=80,
        revenue_wan=3000,
        total_assets_wan=5000,
    )


def test_given_county_staff_when_list_then_own_county_only_with_bounded_queries(
    ent, users, login, django_assert_max_num_queries
):
    client = login(users.county_staff)
    for i in range(2, 12):
        actions.create_enterprise(
            actor=users.county_staff, fic=users.county_staff.org, credit_code=make_code(i), name=f"企业{i}"
        )
    with django_assert_max_num_queries(12):
        response = client.get("/registry/enterprises/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "岳阳县测试科技有限公司" in body and "华容县芥菜加工有限公司" not in body


def test_given_search_by_chinese_name_then_filtered(ent, users, login):
    body = login(users.county_staff).get("/registry/enterprises/?q=测试科技").content.decode()
    assert "岳阳县测试科技有限公司" in body and "岳阳县洞庭食品有限公司" not in body


def test_given_other_county_enterprise_then_404(ent, tree, users, login):
    assert login(users.county_b_staff).get(f"/registry/enterprises/{ent.pk}/").status_code == 404


def test_given_user_without_permission_then_403(users, login):
    assert login(users.liaison).get("/registry/enterprises/").status_code == 403
    assert login(users.enterprise).get("/registry/import/").status_code == 403


def test_given_staff_then_numbers_masked_and_leader_can_reveal_with_audit(ent, users, login):
    body = login(users.county_staff).get(f"/registry/enterprises/{ent.pk}/").content.decode()
    assert "430621199001011234" not in body and "430621********1234" in body
    assert "13912345678" not in body
    client = login(users.leader)
    response = client.post(f"/registry/enterprises/{ent.pk}/reveal/legal_rep_id_number/")
    assert response.content.decode() == "430621199001011234"
    assert AuditEntry.objects.filter(action="registry.reveal_pii", object_id=str(ent.pk), actor=users.leader).exists()
    assert login(users.county_staff).post(f"/registry/enterprises/{ent.pk}/reveal/contact_mobile/").status_code == 403


def test_given_export_by_staff_then_masked(ent, users, login):
    response = login(users.county_staff).get("/registry/enterprises/?export=csv")
    # the Chinese file name travels percent-encoded (RFC 6266/5987), as browsers require
    assert f"filename*=utf-8''{quote('企业名录')}-" in response["Content-Disposition"]
    assert response["Content-Disposition"].isascii()
    text = response.content.decode("utf-8-sig")
    assert "企业规模" in text.splitlines()[0]
    assert "139****5678" in text and "13912345678" not in text


def test_given_enterprise_user_then_sees_own_and_corrects_contact_only(ent, tree, users, login):
    client = login(users.enterprise)
    assert client.get(f"/registry/enterprises/{tree.ent_a.pk}/").status_code == 200
    assert client.get(f"/registry/enterprises/{ent.pk}/").status_code == 404
    response = client.post(
        f"/registry/enterprises/{tree.ent_a.pk}/edit/",
        {"address": "岳阳县新地址", "contact_name": "赵六", "contact_mobile": ""},
    )
    assert response.status_code == 302
    tree.ent_a.refresh_from_db()
    assert tree.ent_a.address == "岳阳县新地址"
    with pytest.raises(Exception):
        actions.update_enterprise(tree.ent_a, actor=users.enterprise, name="改名")


def test_given_staff_edit_then_size_recomputed_and_history_shown(ent, users, login):
    client = login(users.county_staff)
    data = {
        "name": ent.name,
        "industry_code": "1391",
        "employees": "5",
        "revenue_wan": "100",
        "total_assets_wan": "100",
        "legal_rep_id_number": "430621********1234",
        "contact_mobile": "139****5678",
    }
    assert client.post(f"/registry/enterprises/{ent.pk}/edit/", data).status_code == 302
    ent.refresh_from_db()
    assert ent.size_class == "微型" and ent.legal_rep_id_number == "430621199001011234"
    body = client.get(f"/registry/enterprises/{ent.pk}/").content.decode()
    assert "registry.update_enterprise" in body


def test_given_year_figures_then_kept_per_year(ent, users, login):
    client = login(users.county_staff)
    for year, revenue in ((2023, "1000"), (2024, "2000")):
        client.post(f"/registry/enterprises/{ent.pk}/figures/", {"year": year, "revenue_wan": revenue})
    assert list(ent.year_figures.values_list("year", "revenue_wan")) == [(2024, 2000), (2023, 1000)]


def test_given_secretary_then_keeps_own_chamber_members_only(chamber, tree, users, login, ent):
    m = actions.add_member(
        actor=users.secretary,
        organization=tree.chamber_a,
        kind="enterprise",
        enterprise=ent,
        joined_on=datetime.date(2020, 1, 1),
    )
    client = login(users.secretary)
    assert client.get("/registry/members/").status_code == 200
    response = client.post(
        f"/registry/members/{m.pk}/", {"role": "vice_president", "joined_on": "2020-01-01", "left_on": ""}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.role == "vice_president"
    other = Member.objects.create(
        organization=tree.county_b,
        org_path=tree.county_b.path,
        kind="individual",
        person_name="李",
        joined_on=datetime.date(2020, 1, 1),
    )
    assert client.get(f"/registry/members/{other.pk}/").status_code == 404
    assert login(users.county_b_staff).get(f"/registry/chambers/{chamber.pk}/").status_code == 404


def test_given_chambers_then_term_due_and_overview(chamber, users, login):
    client = login(users.city_staff)
    assert "岳阳县餐饮行业商会" in client.get("/registry/chambers/term-due/").content.decode()
    body = client.get("/registry/").content.decode()
    assert "行业商会" in body and "党组织覆盖率" in body


def test_given_upload_then_preview_then_commit(tree, users, login, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from io import BytesIO

    from .conftest import HEADERS

    buf = BytesIO()
    text = "\n".join(
        [
            ",".join(HEADERS),
            *[",".join(enterprise_row(i)) for i in range(30, 33)],
            ",".join(enterprise_row(34, **{"从业人员": "abc"})),
        ]
    )
    buf.write(text.encode("gbk"))
    buf.seek(0)
    buf.name = "企业.csv"
    client = login(users.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/registry/import/", {"kind": "enterprises", "file": buf})
    assert response.status_code == 302
    job = Job.objects.get(kind="registry.import_preview")
    assert job.status == "succeeded" and job.result["new"] == 3 and job.result["bad_rows"] == 1
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "应为非负整数" in page and "拒绝整个文件" in page
    assert not Enterprise.objects.filter(credit_code=make_code(30)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/import/{job.pk}/", {"decision": "commit"})
    commit = Job.objects.get(kind="registry.import_commit")
    assert commit.status == "succeeded" and commit.result["new"] == 3
    assert Enterprise.objects.filter(credit_code=make_code(30)).exists()
    errors = client.get(f"/registry/import/{commit.pk}/errors.csv")
    assert b"".join(errors.streaming_content).decode("utf-8-sig").startswith("行号,列,值,原因")
    assert login(users.county_b_staff).get(f"/registry/import/{job.pk}/").status_code == 404


def test_given_template_then_xlsx_with_headers(users, login):
    response = login(users.county_staff).get("/registry/import/template/enterprises/")
    assert response.status_code == 200
    assert "xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip container: .xlsx


def test_given_the_enterprise_list_then_unset_filters_read_全部(users, login):
    html = login(users.city_staff).get("/registry/enterprises/").content.decode()
    assert "---------" not in html and '<option value="" selected>全部</option>' in html
