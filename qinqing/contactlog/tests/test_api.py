"""The 亲清日志 API: the same actions and narrow scopes as the pages."""

import datetime as dt

import pytest

from qinqing.contactlog.models import ConductItem, ContactEntry


def _payload(tree, **over):
    data = {
        "date": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "place": "企业展厅",
        "venue": "enterprise",
        "purpose": "research",
        "organiser": "own_unit",
        "enterprises": [tree.ent_a.pk],
        "vehicle": "official",
        "gifts": [{"description": "宣传册", "value": "0", "returned": False}],
        "matters": [{"text": "希望简化环评手续", "enterprise": tree.ent_a.pk, "department": tree.dept_a.pk}],
    }
    data.update(over)
    return data


def test_given_staff_when_logging_through_the_api_then_created_and_listed_for_them_only(client, tree, users):
    client.force_login(users.county_staff)
    response = client.post("/api/v1/contactlog/entries/", _payload(tree), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_flagged"] is False and body["matters"][0]["text"] == "希望简化环评手续"
    assert [e["id"] for e in client.get("/api/v1/contactlog/entries/").json()["results"]] == [body["id"]]
    client.force_login(users.city_staff)
    assert client.get("/api/v1/contactlog/entries/").json()["results"] == []


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"date": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "date", "不能晚于今天"),
        ({"gifts": [{"description": "白酒", "value": "-300"}]}, "gifts", "不能为负数"),
        ({"purpose": "dinner"}, "purpose", ""),
        ({"enterprises": [999999]}, "enterprises", "不存在"),
    ],
)
def test_given_bad_input_when_posted_then_400_naming_the_field_and_nothing_saved(client, tree, users, over, field,
                                                                                 text):  # fmt: skip
    client.force_login(users.county_staff)
    response = client.post("/api/v1/contactlog/entries/", _payload(tree, **over), content_type="application/json")
    assert response.status_code == 400
    assert field in response.json() and text in str(response.json()[field])
    assert ContactEntry.objects.count() == 0


def test_given_a_flagged_entry_when_the_reviewer_concludes_through_the_api_then_recorded(client, tree, users,
                                                                                      flagged):  # fmt: skip
    client.force_login(users.reviewer)
    pending = client.get("/api/v1/contactlog/entries/?review=pending").json()["results"]
    assert [e["id"] for e in pending] == [flagged.pk] and pending[0]["flags"][0]["name"] == "礼品礼金"
    url = f"/api/v1/contactlog/entries/{flagged.pk}/conclude/"
    empty = client.post(url, {"conclusion": "no_issue", "conclusion_text": ""}, content_type="application/json")
    assert empty.status_code == 400 and "conclusion_text" in empty.json()
    done = client.post(url, {"conclusion": "referred", "conclusion_text": "移交派驻纪检组"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["conclusion"] == "referred"
    again = client.post(url, {"conclusion": "no_issue", "conclusion_text": "x"}, content_type="application/json")
    assert again.status_code == 409


def test_given_staff_when_they_try_to_conclude_then_refused(client, users, flagged):
    client.force_login(users.county_staff)
    payload = {"conclusion": "no_issue", "conclusion_text": "无"}
    url = f"/api/v1/contactlog/entries/{flagged.pk}/conclude/"
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 403


def test_given_a_matter_when_turned_into_an_appeal_through_the_api_then_linked_once(client, tree, users):
    client.force_login(users.county_staff)
    entry = client.post("/api/v1/contactlog/entries/", _payload(tree), content_type="application/json").json()
    matter_id = entry["matters"][0]["id"]
    response = client.post(f"/api/v1/contactlog/matters/{matter_id}/appeal/")
    assert response.status_code == 200 and response.json()["appeal_number"]
    assert client.post(f"/api/v1/contactlog/matters/{matter_id}/appeal/").status_code == 409


def test_given_an_entry_when_its_official_updates_and_adds_a_matter_through_the_api_then_saved(client, tree, users,
                                                                                            flagged):  # fmt: skip
    client.force_login(users.county_staff)
    url = f"/api/v1/contactlog/entries/{flagged.pk}/"
    response = client.put(url, _payload(tree, purpose="signing"), content_type="application/json")
    assert response.status_code == 200 and response.json()["purpose"] == "signing"
    assert response.json()["is_flagged"] is False
    added = client.post(f"{url}matters/", {"text": "融资难", "enterprise": tree.ent_a.pk},
                        content_type="application/json")  # fmt: skip
    assert added.status_code == 201
    client.force_login(users.leader)
    assert client.put(url, _payload(tree), content_type="application/json").status_code == 409


def test_given_the_negative_list_when_the_reviewer_maintains_it_through_the_api_then_staff_only_read(client, users):
    client.force_login(users.reviewer)
    created = client.post("/api/v1/contactlog/conduct/", {"code": "travel", "name": "旅游", "rule": ""},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    item = ConductItem.objects.get(code="travel")
    changed = client.put(f"/api/v1/contactlog/conduct/{item.pk}/", {"name": "接受企业安排的旅游",
                         "rule": "cost_by_enterprise"}, content_type="application/json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["rule"] == "cost_by_enterprise"
    client.force_login(users.county_staff)
    assert any(i["code"] == "travel" for i in client.get("/api/v1/contactlog/conduct/?page_size=100").json()["results"])
    assert client.post("/api/v1/contactlog/conduct/", {"code": "x2", "name": "x"},
                       content_type="application/json").status_code == 403  # fmt: skip


def test_given_figures_when_read_through_the_api_then_only_leaders_and_reviewers_get_them(client, users, flagged):
    client.force_login(users.reviewer)
    body = client.get("/api/v1/contactlog/figures/").json()
    assert body["figures"]["contactlog.flagged"]["value"] == 1
    assert body["figures"]["contactlog.pending"]["value"] == 1
    client.force_login(users.county_staff)
    assert client.get("/api/v1/contactlog/figures/").status_code == 403
