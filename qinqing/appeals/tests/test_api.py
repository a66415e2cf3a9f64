from qinqing.appeals import workflow as wf
from qinqing.appeals.models import Appeal


def test_api_full_flow(users, login, kinds, tree):
    ent = login(users.enterprise)
    r = ent.post(
        "/api/v1/appeals/",
        {"appeal_type": kinds.consult.pk, "domain": kinds.finance.pk, "title": "融资", "description": "贷款难"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    staff = login(users.county_staff)
    assert staff.post(f"/api/v1/appeals/{pk}/steps/accept/", {}, content_type="application/json").status_code == 200
    r = staff.post(
        f"/api/v1/appeals/{pk}/steps/assign/", {"lead_department": tree.dept_a.pk}, content_type="application/json"
    )
    assert r.json()["status"] == wf.ASSIGNED
    liaison = login(users.liaison)
    liaison.post(f"/api/v1/appeals/{pk}/steps/contact/", {"comment": "已联系"}, content_type="application/json")
    liaison.post(f"/api/v1/appeals/{pk}/steps/reply/", {"comment": "已答复"}, content_type="application/json")
    ent = login(users.enterprise)
    r = ent.post(
        f"/api/v1/appeals/{pk}/steps/callback/", {"satisfaction": 5, "solved": "1"}, content_type="application/json"
    )
    body = r.json()
    assert body["status"] == wf.CLOSED
    assert [e["action"] for e in body["events"]][-1] == "close"


def test_api_conflict_and_bad_input_in_chinese(make_appeal, users, login):
    appeal = make_appeal()
    staff = login(users.county_staff)
    staff.post(f"/api/v1/appeals/{appeal.pk}/steps/accept/", {}, content_type="application/json")
    r = staff.post(f"/api/v1/appeals/{appeal.pk}/steps/accept/", {}, content_type="application/json")
    assert r.status_code == 409 and "不能执行" in r.json()["detail"]
    r = staff.post(f"/api/v1/appeals/{appeal.pk}/steps/assign/", {}, content_type="application/json")
    assert r.status_code == 400 and "主办单位" in r.json()["detail"]


def test_api_list_scoped_and_other_county_404(make_appeal, users, login):
    appeal = make_appeal()
    r = login(users.county_b_staff).get("/api/v1/appeals/")
    assert r.json()["count"] == 0
    assert login(users.county_b_staff).get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    assert login(users.banker).get("/api/v1/appeals/").status_code == 403
    assert login(users.county_staff).get("/api/v1/appeals/").json()["count"] == 1


def test_api_figures(make_appeal, users, login):
    make_appeal()
    r = login(users.leader).get("/api/v1/appeals/figures/", {"by": "channel"})
    assert r.status_code == 200 and r.json()["total"]["received"] == 1
    assert login(users.enterprise).get("/api/v1/appeals/figures/").status_code == 403
    assert Appeal.objects.count() == 1


def test_schema_documents_steps_figures_and_timeline():
    """Clients can generate code from the schema: the step, figures and timeline shapes are typed."""
    from qinqing.core.tests.test_schema import RAW_SCHEMA

    paths, schemas = RAW_SCHEMA["paths"], RAW_SCHEMA["components"]["schemas"]
    step = paths["/api/v1/appeals/{id}/steps/{op}/"]["post"]
    op = next(p for p in step["parameters"] if p["name"] == "op")
    assert {"accept", "assign", "callback", "decide_extension"} <= set(op["schema"]["enum"])
    assert step["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/AppealDetail")
    assert step["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/AppealRefusal")
    assert schemas["AppealDetail"]["properties"]["events"]["items"]["$ref"].endswith("/AppealEvent")
    figures = paths["/api/v1/appeals/figures/"]["get"]
    assert figures["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Figures")
    assert {"received", "satisfaction_rate", "label"} <= set(schemas["FigureRow"]["properties"])
    assert "score" in schemas["LeagueRow"]["properties"]
