"""Object isolation across counties, over every API list and detail route (data-driven, see isolation_registry).

Tree: 岳阳县 (county A) and 华容县 (county B) are siblings under 岳阳市. A county-B user must never see a county-A
object: not in any API list, and not on any detail page or route (404 when the role has the permission, a refusal
otherwise).
"""

import pytest
from django.test import Client
from rest_framework.mixins import ListModelMixin

from qinqing.core.permissions import user_has
from qinqing.core.tests.isolation_registry import (
    MISSING,
    county_a_objects,
    endpoints,
    model_of,
    permission_for,
    samples_by_url,
    scope_lookup,
)
from qinqing.core.tests.test_role_matrix import refused

COUNTY_B_USERS = ("county_b_staff", "enterprise_b", "liaison_b")


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _is_list(endpoint) -> bool:
    view_class = endpoint.view_class
    if not endpoint.is_api or endpoint.params or view_class is None:
        return False
    actions = getattr(endpoint.callback, "actions", None)
    if actions is not None:
        return actions.get("get") == "list"
    return isinstance(view_class, type) and issubclass(view_class, ListModelMixin)


def _is_detail(endpoint) -> bool:
    if not endpoint.is_api or len(endpoint.params) != 1 or endpoint.view_class is None:
        return False
    actions = getattr(endpoint.callback, "actions", None)
    if actions is not None:
        return actions.get("get") == "retrieve"
    return hasattr(endpoint.view_class, "retrieve")


def _ids(response) -> set:
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return {row.get("id", row.get("pk")) for row in rows if isinstance(row, dict)}


def _seed(tree, users) -> dict:
    """Create every registered county-A object; returns {model label: [objects]}."""
    for samples in samples_by_url().values():
        for sample in samples:
            sample.kwargs(tree, users)
    return {label: factory(tree, users) for label, factory in county_a_objects().items()}


def _expect_hidden(endpoint, user, response, failures, url, who):
    permission = permission_for(endpoint, "GET")
    if response.status_code == 404:
        return
    if user_has(user, permission) or not refused(response):
        failures.append(f"{endpoint.label} {who} GET {url} → {response.status_code} (expected 404)")


def test_given_county_a_objects_when_county_b_users_list_them_then_none_appear(tree, users):
    _seed(tree, users)
    failures: list[str] = []
    checked: list[str] = []
    for endpoint in endpoints():
        if not _is_list(endpoint):
            continue
        model = model_of(endpoint.view_class, users.city_staff)
        if model is None:
            failures.append(f"{endpoint.label}: cannot tell the model (set queryset or serializer Meta.model)")
            continue
        lookup = scope_lookup(model)
        if lookup is None:
            continue  # declared global
        if lookup is MISSING:
            failures.append(
                f"{endpoint.label}: no org-path field on {model._meta.label}; declare SCOPE in <app>/tests/samples.py"
            )
            continue
        county_a_ids = set(
            model.objects.filter(**{f"{lookup}__startswith": tree.county_a.path}).values_list("pk", flat=True)
        )
        # Every county-A row in the database: a superset of what county A's own staff list returns.
        url = endpoint.url() + "?page_size=500"
        for who in COUNTY_B_USERS:
            user = getattr(users, who)
            response = _client(user).get(url)
            if response.status_code != 200:
                if user_has(user, permission_for(endpoint, "GET")) or not refused(response):
                    failures.append(f"{endpoint.label} {who} → {response.status_code}")
                continue
            leaked = _ids(response) & county_a_ids
            if leaked:
                failures.append(f"{endpoint.label} {who} sees county-A {model._meta.label} ids {sorted(leaked)}")
        checked.append(endpoint.label)
    assert checked, "no API list endpoint found"
    assert not failures, "\n".join(failures)


def test_given_county_a_objects_when_county_b_users_open_their_detail_routes_then_404(tree, users):
    objects = _seed(tree, users)
    samples = samples_by_url()
    clients = {who: _client(getattr(users, who)) for who in COUNTY_B_USERS}
    owner = _client(users.county_staff)
    failures: list[str] = []
    checked = 0
    for endpoint in endpoints():
        urls = []  # (url, registered explicitly)
        for sample in samples.get(endpoint.name or "", []):
            if sample.isolated:
                urls.append((endpoint.url(sample.kwargs(tree, users)), True))
        if _is_detail(endpoint):
            model = model_of(endpoint.view_class, users.city_staff, "retrieve")
            (param,) = endpoint.params
            for obj in objects.get(model._meta.label, []) if model is not None else []:
                urls.append((endpoint.url({param: obj.pk}), False))
        for url, explicit in urls:
            if permission_for(endpoint, "GET") is None:
                continue  # undeclared views are reported by the role matrix
            for who, client in clients.items():
                _expect_hidden(endpoint, getattr(users, who), client.get(url), failures, url, who)
                checked += 1
            if explicit and endpoint.is_api and user_has(users.county_staff, permission_for(endpoint, "GET")):
                # Control: the route and the sample are right, county A's own staff can open it.
                status = owner.get(url).status_code
                if status != 200:
                    failures.append(f"{endpoint.label} county_staff GET {url} → {status} (control expected 200)")
    assert checked > 0
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", COUNTY_B_USERS)
def test_given_a_county_a_enterprise_when_a_county_b_user_requests_it_by_api_then_404_in_chinese(tree, users, who):
    from qinqing.accounts.actions import issue_api_token

    detail = next(
        (
            e
            for e in endpoints()
            if _is_detail(e) and model_of(e.view_class, users.city_staff, "retrieve") is type(tree.ent_a)
        ),
        None,
    )
    if detail is None:
        pytest.skip("no enterprise detail API yet")
    token = issue_api_token(getattr(users, who))
    (param,) = detail.params

    response = Client().get(detail.url({param: tree.ent_a.pk}), HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code in (403, 404)
    if response.status_code == 404:
        assert response.json() == {"detail": "对象不存在或不在您的管辖范围内"}


def _names(objects: dict) -> dict[str, str]:
    """A recognisable text of every county-A object: its name if it has one, else its str()."""
    found = {}
    for label, objs in objects.items():
        for obj in objs:
            text = str(getattr(obj, "name", "") or getattr(obj, "title", "") or obj).strip()
            if len(text) >= 4:  # shorter texts (a number, a status) could appear by chance
                found[text] = f"{label} #{obj.pk}"
    return found


def test_given_county_a_objects_when_county_b_users_open_every_html_page_then_no_name_appears(tree, users):
    # Given every registered county-A object
    objects = _seed(tree, users)
    own = [getattr(users, who) for who in COUNTY_B_USERS]
    # a county-A text inside a county-B user's own name (ent_user in ent_user_b) is no leak
    names = {t: w for t, w in _names(objects).items() if not any(t in f"{u.username} {u.name}" for u in own)}
    assert names
    failures: list[str] = []
    checked = 0
    # When county B's users open every page of the site that takes no parameter (lists, boards, forms, figures)
    for endpoint in endpoints():
        if endpoint.is_api or endpoint.params or permission_for(endpoint, "GET") is None:
            continue
        for who in COUNTY_B_USERS:
            response = _client(getattr(users, who)).get(endpoint.url())
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            checked += 1
            # Then no county-A object's name is on it (in a row, a drop-down, a chart's data)
            failures += [f"{endpoint.label} {who}: {what} 「{text}」" for text, what in names.items() if text in html]
    assert checked > 10
    assert not failures, "county-B users see county-A objects:\n" + "\n".join(failures)
