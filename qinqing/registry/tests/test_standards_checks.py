"""The enterprise edit form, the API and the action refuse values that break their standards (GB 32100,
GB/T 4754-2017, GB/T 2260, GB 11643, mobile numbers) with a Chinese message naming the field, and change
nothing; the industry code is stored in digits (C3311 → 3311)."""

import pytest

from qinqing.registry import actions, rules
from qinqing.registry.models import Enterprise

from .conftest import make_code

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ent(tree, users):
    return actions.create_enterprise(
        actor=users.county_staff, fic=tree.county_a, credit_code=make_code(7), name="标准企业", industry_code="1391"
    )


def _form_data(ent, **over):
    data = {
        "name": ent.name,
        "legal_representative": "",
        "legal_rep_id_number": "",
        "region_code": "430621",
        "industry_code": "1391",
        "founded_on": "",
        "employees": "",
        "revenue_wan": "",
        "total_assets_wan": "",
        "address": "",
        "contact_name": "",
        "contact_mobile": "",
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("industry_code", "9999", "行业代码：“9999”不是国民经济行业分类"),
        ("region_code", "abc", "行政区划代码：“abc”应为6位数字"),
        ("region_code", "999999", "行政区划代码：“999999”不是有效的行政区划代码"),
        ("legal_rep_id_number", "430621199001011230", "法定代表人身份证号：身份证号码校验码错误"),
        ("contact_mobile", "12345678901", "联系人手机：手机号码“12345678901”不是有效的大陆手机号"),
    ],
)
def test_given_bad_value_when_staff_saves_edit_form_then_error_names_field_and_nothing_changes(
    ent, users, login, field, value, message
):
    client = login(users.county_staff)

    response = client.post(f"/registry/enterprises/{ent.pk}/edit/", _form_data(ent, **{field: value}), **HTMX)

    assert response.status_code == 200 and "HX-Redirect" not in response
    assert message in response.content.decode()
    stored = Enterprise.objects.get(pk=ent.pk)
    assert (stored.industry_code, stored.region_code) == ("1391", "430621")
    assert stored.legal_rep_id_number == "" and stored.contact_mobile == ""


def test_given_prefixed_industry_code_when_saved_in_form_then_stored_in_digits(ent, users, login):
    client = login(users.county_staff)

    response = client.post(f"/registry/enterprises/{ent.pk}/edit/", _form_data(ent, industry_code="C3311"), **HTMX)

    assert response["HX-Redirect"] == f"/registry/enterprises/{ent.pk}/"
    assert Enterprise.objects.get(pk=ent.pk).industry_code == "3311"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("industry_code", "9999", "行业代码："),
        ("region_code", "abc", "行政区划代码："),
        ("legal_rep_id_number", "123", "法定代表人身份证号："),
        ("contact_mobile", "123", "联系人手机："),
    ],
)
def test_given_bad_value_when_patched_through_api_then_400_naming_field_and_nothing_changes(
    ent, users, login, field, value, message
):
    client = login(users.county_staff)

    response = client.patch(
        f"/api/v1/registry/enterprises/{ent.pk}/",
        {field: value, "name": "改过的名称"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()[field][0].startswith(message)
    stored = Enterprise.objects.get(pk=ent.pk)
    assert (stored.name, stored.industry_code, stored.region_code) == ("标准企业", "1391", "430621")


def test_given_prefixed_industry_code_when_patched_then_stored_in_digits_and_size_follows(ent, users, login):
    client = login(users.county_staff)

    response = client.patch(
        f"/api/v1/registry/enterprises/{ent.pk}/", {"industry_code": "c3311"}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["industry_code"] == "3311"


def test_given_masked_mobile_sent_back_by_api_then_stored_number_kept(tree, users, login):
    ent = actions.create_enterprise(
        actor=users.county_staff,
        fic=tree.county_a,
        credit_code=make_code(8),
        name="掩码企业",
        contact_mobile="13912345678",
    )
    response = login(users.county_staff).patch(
        f"/api/v1/registry/enterprises/{ent.pk}/",
        {"contact_mobile": "139****5678", "address": "新地址"},
        content_type="application/json",
    )
    assert response.status_code == 200
    stored = Enterprise.objects.get(pk=ent.pk)
    assert stored.contact_mobile == "13912345678" and stored.address == "新地址"


def test_given_bad_values_when_action_called_directly_then_every_field_named_at_once(ent, users):
    with pytest.raises(Exception) as caught:
        actions.update_enterprise(ent, actor=users.county_staff, industry_code="9999", region_code="abc")
    assert set(caught.value.message_dict) == {"industry_code", "region_code"}


def test_given_self_service_user_when_bad_mobile_then_refused_in_chinese(ent, tree, users, login):
    with pytest.raises(Exception) as caught:
        actions.update_enterprise(tree.ent_a, actor=users.enterprise, contact_mobile="1234")
    assert caught.value.message_dict["contact_mobile"][0].startswith("联系人手机：")


def test_given_create_form_with_bad_industry_then_named_and_nothing_created(users, login):
    client = login(users.county_staff)
    data = _form_data(Enterprise(name="新企业"), credit_code=make_code(9), industry_code="9999")

    response = client.post("/registry/enterprises/new/", data, **HTMX)

    assert "行业代码：“9999”" in response.content.decode()
    assert not Enterprise.objects.filter(name="新企业").exists()


@pytest.mark.parametrize(
    ("raw", "code"), [("C3311", "3311"), ("c 3311", "3311"), ("Ｃ３３１１", "3311"), ("13", "13"), ("1391", "1391")]
)
def test_given_industry_code_as_typed_then_canonical_digits(raw, code):
    assert rules.industry_code(raw) == code


@pytest.mark.parametrize("raw", ["9999", "C", "A3311", "abc", ""])
def test_given_code_not_a_digit_entry_of_the_table_then_refused(raw):
    with pytest.raises(rules.RuleError):
        rules.industry_code(raw)


def test_given_region_codes_then_only_those_of_the_table_pass():
    assert rules.region_code("４３０６２１") == "430621"
    for raw in ("abc", "999999", "43062"):
        with pytest.raises(rules.RuleError):
            rules.region_code(raw)
