"""size_class in the API: one of the four classes, or blank when the 办法 does not apply; the schema says so."""

from drf_spectacular.generators import SchemaGenerator

from qinqing.registry import actions

from .conftest import make_code


def test_given_enterprise_without_figures_then_blank_and_with_figures_then_a_class(tree, users, login):
    client = login(users.county_staff)
    assert client.get(f"/api/v1/registry/enterprises/{tree.ent_a.pk}/").json()["size_class"] == ""
    ent = actions.create_enterprise(
        actor=users.county_staff,
        fic=tree.county_a,
        credit_code=make_code(9),
        name="岳阳县规模测试有限公司",
        industry_code="1391",
        employees=80,
        revenue_wan=3000,
        total_assets_wan=5000,
    )
    assert client.get(f"/api/v1/registry/enterprises/{ent.pk}/").json()["size_class"] == "小型"


def test_given_the_schema_then_size_class_is_a_read_only_choice_that_may_be_blank():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Enterprise"]["properties"]["size_class"]
    refs = [item["$ref"].rsplit("/", 1)[-1] for item in field["oneOf"]]
    values = [value for ref in refs for value in schema["components"]["schemas"][ref]["enum"]]
    assert field["readOnly"] is True
    assert sorted(values) == sorted(["大型", "中型", "小型", "微型", ""])
