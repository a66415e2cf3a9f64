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


def test_given_multipart_with_two_files_when_enterprise_registers_then_attachments_stored(users, login, kinds):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qinqing.appeals.models import AppealAttachment

    # When the enterprise registers through the API with two attachments (multipart/form-data)
    r = login(users.enterprise).post(
        "/api/v1/appeals/",
        {
            "appeal_type": kinds.consult.pk,
            "domain": kinds.finance.pk,
            "title": "贷款审批慢",
            "description": "三个月未审批",
            "files": [
                SimpleUploadedFile("合同.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
                SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff demo", content_type="image/jpeg"),
            ],
        },
    )
    # Then both are stored with the appeal and listed in the answer
    assert r.status_code == 201, r.content
    body = r.json()
    assert sorted(a["name"] for a in body["attachments"]) == ["合同.pdf", "照片.jpg"]
    assert AppealAttachment.objects.filter(appeal_id=body["id"]).count() == 2


def test_given_oversized_file_when_registering_then_400_names_it_and_nothing_saved(users, login, kinds, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qinqing.appeals import actions

    monkeypatch.setattr(actions, "MAX_ATTACHMENT_BYTES", 10)
    r = login(users.enterprise).post(
        "/api/v1/appeals/",
        {"appeal_type": kinds.consult.pk, "domain": kinds.finance.pk, "title": "t", "description": "d",
         "files": [SimpleUploadedFile("大文件.pdf", b"x" * 100)]},
    )  # fmt: skip
    assert r.status_code == 400 and "大文件.pdf" in r.json()["detail"]
    assert not Appeal.objects.exists()


def test_given_similar_appeal_when_asking_api_then_suggested_in_scope_only(make_appeal, users, login, tree, kinds):
    # Given county A's loan appeal
    make_appeal("银行贷款审批太慢", description="向银行申请流动资金贷款三个月未审批")
    params = {"title": "贷款审批慢", "description": "银行流动资金贷款审批三个月", "domain": kinds.finance.pk,
              "credit_code": tree.ent_a.credit_code}  # fmt: skip
    # When county A staff ask, then it is suggested, marked as the same enterprise
    r = login(users.county_staff).get("/api/v1/appeals/similar/", params)
    assert r.status_code == 200
    [match] = r.json()
    assert match["title"] == "银行贷款审批太慢" and match["same_enterprise"] and match["score"] >= 30
    # And county B's staff and enterprise B never see it; a bank officer may not ask at all
    assert login(users.county_b_staff).get("/api/v1/appeals/similar/", params).json() == []
    assert login(users.enterprise_b).get("/api/v1/appeals/similar/", params).json() == []
    assert login(users.banker).get("/api/v1/appeals/similar/", params).status_code == 403
    bad = login(users.county_staff).get("/api/v1/appeals/similar/", {**params, "domain": "x"})
    assert bad.status_code == 400 and "诉求领域" in bad.json()["domain"][0]
