"""Below an FIC with no FIC under it the enterprise scope is one path (an equality the (org_path, name) index
answers in list order); it must hold exactly the enterprises the prefix scope holds, for every kind of user."""

from django.db.models import Q

from qinqing.registry.models import Enterprise
from qinqing.registry.permissions import visible_enterprises


def _prefix(user):
    return set(Enterprise.objects.filter(Q(org_path__startswith=user.org.path)).values_list("pk", flat=True))


def test_county_scope_is_an_equality_with_the_same_rows(tree, users):
    qs = visible_enterprises(users.county_staff)
    assert "LIKE" not in str(qs.query).upper()
    assert set(qs.values_list("pk", flat=True)) == _prefix(users.county_staff) == {tree.ent_a.pk}


def test_city_scope_keeps_the_prefix(tree, users):
    qs = visible_enterprises(users.city_staff)
    assert "LIKE" in str(qs.query).upper()
    assert set(qs.values_list("pk", flat=True)) == {tree.ent_a.pk, tree.ent_b.pk}


def test_department_and_chamber_users_unchanged(tree, users):
    assert not visible_enterprises(users.liaison).filter(pk=tree.ent_b.pk).exists()
    assert not visible_enterprises(users.secretary).filter(pk=tree.ent_b.pk).exists()
