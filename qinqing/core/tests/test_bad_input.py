"""Bad input answers 400 (or 413), never 500, with a Chinese message: every list filter of every page and
API endpoint, oversize bodies, too many fields and very deep JSON.

The sweep walks the URL configuration like the role matrix: each GET page is opened (a page with path
parameters at each sample object the domains register for the role matrix) by a user who may see it; its
GET forms are read for the filter names it offers (plus the names every list shares) and its links back to
itself for the query names they carry, and each name is sent bad dates, huge integers and negative numbers;
each GET API operation gets the same for the query parameters its OpenAPI description lists, nested lists
at each sample object. Pages added later are swept automatically.
"""

import json
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import resolve

from qinqing.core.permissions import AUTHENTICATED, user_has
from qinqing.core.tests.isolation_registry import PUBLIC, declaration, endpoints, permission_for, samples_by_url

pytestmark = pytest.mark.django_db

BAD_VALUES = ["abc", "2026-02-30", "99999999999999999999", "-1", "\x00"]
COMMON = ["from", "to", "page", "q", "year", "month", "date", "org", "status"]
FIELD_NAME = re.compile(r'<(?:input|select)\b[^>]*\bname="([^"]+)"')
GET_FORM = re.compile(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
SELF_LINK = re.compile(r'href="([^"?#]*)\?([^"#]*)"')
SKIP_NAMES = {"csrfmiddlewaretoken", "export", "next"}


def _user_for(permission, users):
    if permission in (None, PUBLIC, AUTHENTICATED):
        return users.city_staff
    candidates = [users.city_staff, users.leader, *vars(users).values()]
    return next((u for u in candidates if user_has(u, permission)), None)


def _page_filters(html: str, url: str = "") -> list[str]:
    """The names of the page's GET (filter) forms and of the query strings its links back to itself carry
    (a drill-down's period, a list's page); a page with a filter form also gets the common names."""
    names = {name for form in GET_FORM.findall(html) for name in FIELD_NAME.findall(form)}
    linked = set()
    for target, query in SELF_LINK.findall(html):
        if target in ("", url):
            linked |= {pair.split("=", 1)[0] for pair in query.replace("&amp;", "&").split("&") if pair}
    return sorted(((names | set(COMMON)) if names else {"page"} | linked) - SKIP_NAMES)


def _acceptable(response) -> bool:
    return response.status_code < 500


def _page_urls(endpoint, samples, tree, users) -> list[str]:
    """The page itself, or, for a page with path parameters, one URL per registered sample object."""
    if not endpoint.params:
        return [endpoint.url()]
    return [endpoint.url(sample.kwargs(tree, users)) for sample in samples.get(endpoint.name or "", [])]


def _sweep_pages(tree, users) -> tuple[list[str], int, int]:
    failures, sent, with_params = [], 0, 0
    clients: dict[int, Client] = {}
    samples = samples_by_url()
    for endpoint in endpoints():
        if endpoint.is_api or declaration(endpoint.callback) is None:
            continue
        permission = permission_for(endpoint, "GET")
        user = _user_for(permission, users)
        if user is None:
            continue
        client = clients.setdefault(user.pk, Client(raise_request_exception=False))
        client.force_login(user)
        for url in _page_urls(endpoint, samples, tree, users):
            first = client.get(url)
            if first.status_code != 200 or "html" not in first.get("Content-Type", ""):
                continue
            names = _page_filters(first.content.decode(), url)
            with_params += bool(endpoint.params)
            for name in names:
                for value in BAD_VALUES:
                    response = client.get(url, {name: value})
                    sent += 1
                    if not _acceptable(response):
                        failures.append(f"{url}?{name}={value!r} → {response.status_code}")
    return failures, sent, with_params


def _sweep_api(tree, users) -> tuple[list[str], int]:
    from qinqing.core.tests.test_schema import RAW_SCHEMA

    failures, sent = [], 0
    clients: dict[int, Client] = {}
    samples = samples_by_url()
    for template, operations in RAW_SCHEMA["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        names = sorted({p["name"] for p in get.get("parameters", []) if p.get("in") == "query"} | {"page"})
        if "{" in template:
            if not {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"}:
                continue  # a detail route: no filters to sweep
            # A nested list (e.g. an object's events): swept at each registered sample object.
            name = resolve(re.sub(r"\{[^}]+\}", "1", template)).view_name
            paths = [
                re.sub(r"\{([^}]+)\}", lambda m, kw=kw: str(kw.get(m.group(1), kw.get("pk", ""))), template)
                for kw in (sample.kwargs(tree, users) for sample in samples.get(name, []))
            ]
        else:
            paths = [template]
        if not paths:
            continue
        match = resolve(paths[0])
        permission = permission_for(SimpleNamespace(callback=match.func), "GET")
        user = _user_for(permission, users)
        if user is None:
            continue
        client = clients.setdefault(user.pk, Client(raise_request_exception=False))
        client.force_login(user)  # a session: the token scheme is another test's concern
        for path in paths:
            for name in names:
                for value in BAD_VALUES:
                    response = client.get(path, {name: value})
                    sent += 1
                    if not _acceptable(response):
                        failures.append(f"{path}?{name}={value!r} → {response.status_code}")
    return failures, sent


def test_given_bad_dates_huge_and_negative_numbers_when_every_page_filter_gets_them_then_never_5xx(tree, users):
    failures, sent, with_params = _sweep_pages(tree, users)

    assert sent > 100
    assert with_params >= 20, "pages with path parameters (a chamber's, a meeting's…) must be swept too"
    assert not failures, "pages answering 5xx to bad filter values:\n" + "\n".join(failures)


def test_given_bad_dates_huge_and_negative_numbers_when_every_api_filter_gets_them_then_never_5xx(tree, users):
    failures, sent = _sweep_api(tree, users)

    assert sent > 50
    assert not failures, "API endpoints answering 5xx to bad filter values:\n" + "\n".join(failures)


# --- the cases named in the finding, with their messages ---------------------------------------------


@pytest.mark.parametrize(
    "url", ["/appeals/?from=abc", "/appeals/?from=2026-02-30", "/appeals/figures/?from=abc", "/appeals/?to=abc"]
)
def test_given_a_bad_date_on_a_page_then_400_with_a_chinese_message_naming_the_field(url, users, login):
    response = login(users.city_staff).get(url)

    assert response.status_code == 400
    body = response.content.decode()
    assert "日期" in body


@pytest.mark.parametrize("query", ["from=abc", "from=2026-02-30", "to=abc"])
def test_given_a_bad_date_on_the_api_then_400_json_naming_the_field(query, users, login):
    response = login(users.city_staff).get(f"/api/v1/appeals/?{query}")

    assert response.status_code == 400
    assert "日期" in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("url", ["/appeals/?department=99999999999999999999", "/api/v1/appeals/?department=-1"])
def test_given_a_huge_or_negative_id_then_not_a_server_error(url, users, login):
    response = login(users.city_staff).get(url)

    assert response.status_code in (200, 400)


def test_given_an_oversize_body_then_413_with_a_chinese_message(users, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 5000})
    client = login(users.county_staff)

    api = client.post("/api/v1/appeals/", body, content_type="application/json")
    page = client.post("/appeals/new/", {"title": "x" * 5000})

    assert api.status_code == 413 and "过大" in api.json()["detail"]
    assert page.status_code == 413 and "过大" in page.content.decode()


def test_given_too_many_fields_then_400_with_a_chinese_message(users, login, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"f{i}": "1" for i in range(50)}
    client = login(users.county_staff)

    page = client.post("/appeals/new/", fields)
    api = client.post("/api/v1/appeals/", fields)

    assert page.status_code == 400 and "字段过多" in page.content.decode()
    assert api.status_code == 400 and "字段过多" in api.json()["detail"]


def test_given_very_deep_json_then_400_with_a_chinese_message(users, login):
    body = "[" * 100_000 + "]" * 100_000

    response = login(users.county_staff).post("/api/v1/appeals/", body, content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
