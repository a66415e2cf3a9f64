"""Below an FIC with no FIC under it the enterprise scope is one path (an equality the (org_path, name) index
answers in list order); it must hold exactly the enterprises the prefix scope holds, for every kind of user."""

import pytest
from django.db.models import Q

from qinqing.registry.models import Enterprise
from qinqing.registry.permissions import visible_enterprises

from .plans import plan_in_index_order


def _prefix(user):
    return set(Enterprise.objects.filter(Q(org_path__startswith=user.org.path)).values_list("pk", flat=True))


def test_county_scope_is_an_equality_with_the_same_rows(tree, users):
    qs = visible_enterprises(users.county_staff)
    assert "LIKE" not in str(qs.query).upper()
    assert set(qs.values_list("pk", flat=True)) == _prefix(users.county_staff) == {tree.ent_a.pk}


def test_city_scope_is_the_list_of_its_fic_nodes_with_the_same_rows(tree, users):
    qs = visible_enterprises(users.city_staff)
    sql = str(qs.query).upper()
    assert "LIKE" not in sql and '"ORG_PATH" IN (' in sql
    for node in (tree.city, tree.county_a, tree.county_b):
        assert node.path in str(qs.query)  # the city's own node and each county below it
    assert set(qs.values_list("pk", flat=True)) == _prefix(users.city_staff) == {tree.ent_a.pk, tree.ent_b.pk}


def test_city_list_by_node_then_name(tree, users, login):
    """The list's order is the index's: the city's own enterprises, then each county's, by name within a node."""
    from qinqing.registry.models import Enterprise

    own = Enterprise.objects.create(
        credit_code="91430600MA4L00005K", name="岳阳市城陵矶物流有限公司", fic=tree.city, org_path=tree.city.path
    )
    response = login(users.city_staff).get("/registry/enterprises/")
    shown = [e.pk for e in response.context["page"].object_list]
    nodes = sorted([(tree.city.path, own), (tree.county_a.path, tree.ent_a), (tree.county_b.path, tree.ent_b)])
    assert shown == [e.pk for _path, e in nodes]


@pytest.mark.postgres_only
def test_postgres_answers_a_city_page_from_the_scope_index_without_sorting(tree, users):
    plan = plan_in_index_order(visible_enterprises(users.city_staff).order_by("org_path", "name")[:30])
    assert "enterprise_scope_name" in plan and "Sort" not in plan, plan


def test_department_and_chamber_users_unchanged(tree, users):
    assert not visible_enterprises(users.liaison).filter(pk=tree.ent_b.pk).exists()
    assert not visible_enterprises(users.secretary).filter(pk=tree.ent_b.pk).exists()
