"""Errors Django itself answers: JSON in Chinese under /api/, the Chinese HTML pages elsewhere."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/no-such-endpoint/", "/api/v1/orgs/abc/"])
def test_given_an_unknown_api_path_when_requested_then_json_in_chinese(path, users, login):
    # Given a signed-in API client, when it asks for a path no route serves
    response = login(users.city_staff).get(path)
    # Then the answer is JSON, not the HTML error page
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "接口不存在或对象不在您的管辖范围内"


def test_given_an_unknown_page_when_requested_then_the_chinese_html_page(users, login):
    response = login(users.city_staff).get("/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]
