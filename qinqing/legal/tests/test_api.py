"""The check-up flow through the API, with the same refusals (400 naming the field, 409 for a state) and scopes."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from qinqing.legal import actions
from qinqing.legal.models import Checkup, FirmLink, Question, RiskPoint

from .conftest import link_data, walk_to

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_given_the_api_when_walking_a_checkup_end_to_end_then_each_step_answers(legal, tree, users):
    created = _api(users.enterprise).post("/api/v1/legal/checkups/", {"chamber": tree.chamber_a.pk,
                                          "contact_phone": "13800001111"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["contact_phone"] == "138****1111"
    staff = _api(users.county_staff)
    today = str(actions.today())
    bad = staff.post(f"/api/v1/legal/checkups/{pk}/assign/", {"lawyer": users.secretary.pk, "visit_on": today},
                     format="json")  # fmt: skip
    assert bad.status_code == 400 and "体检律师" in bad.json()["lawyer"][0]
    assert staff.post(f"/api/v1/legal/checkups/{pk}/assign/", {"lawyer": users.lawyer.pk,
                      "visit_on": str(actions.today())}, format="json").status_code == 200  # fmt: skip
    checkup = Checkup.objects.get(pk=pk)
    answers = [{"question": q.pk, "answer": "partly"} for q in Question.objects.filter(area__version=checkup.version)]
    assert _api(users.enterprise).post(f"/api/v1/legal/checkups/{pk}/selfcheck/", {"answers": answers},
                                       format="json").status_code == 200  # fmt: skip
    lawyer = _api(users.lawyer)
    visit = lawyer.post(f"/api/v1/legal/checkups/{pk}/visit/", {"visited_on": str(actions.today()),
                        "answers": answers}, format="json")  # fmt: skip
    assert visit.status_code == 200 and visit.json()["status"] == "visited"
    area = checkup.version.areas.get(code="tax").pk
    missing = lawyer.post(f"/api/v1/legal/checkups/{pk}/risks/", {"area": area, "facts": "发票不合规",
                          "recommendation": "规范开票"}, format="json")  # fmt: skip
    assert missing.status_code == 400 and "风险等级" in missing.json()["level"][0]
    assert lawyer.post(f"/api/v1/legal/checkups/{pk}/risks/", {"area": area, "level": "red", "facts": "发票不合规",
                       "recommendation": "规范开票"}, format="json").status_code == 201  # fmt: skip
    issued = lawyer.post(f"/api/v1/legal/checkups/{pk}/issue/", {"report_summary": "财税风险突出"}, format="json")
    assert issued.status_code == 200 and issued.json()["status"] == "reported"
    again = lawyer.post(f"/api/v1/legal/checkups/{pk}/risks/", {"area": area, "level": "red", "facts": "x",
                        "recommendation": "y"}, format="json")  # fmt: skip
    assert again.status_code == 409
    risk = RiskPoint.objects.get()
    bad_follow = _api(users.enterprise).post(f"/api/v1/legal/checkups/{pk}/follow/", {
        "items": [{"risk": risk.pk, "status": "declined"}]}, format="json")  # fmt: skip
    assert bad_follow.status_code == 400 and "理由" in str(bad_follow.json())
    items = [{"risk": risk.pk, "status": "doing", "reason": "正在更换开票系统"}]
    followed = _api(users.enterprise).post(f"/api/v1/legal/checkups/{pk}/follow/", {"items": items}, format="json")
    assert followed.status_code == 200
    call = lawyer.post(f"/api/v1/legal/checkups/{pk}/call/", {"called_on": str(actions.today()),
                       "summary": "整改推进中"}, format="json")  # fmt: skip
    assert call.status_code == 201
    appeal = staff.post(f"/api/v1/legal/risks/{risk.pk}/appeal/", {"department": tree.dept_a.pk}, format="json")
    assert appeal.status_code == 200 and appeal.json()["appeal"]
    pdf = _api(users.enterprise).get(f"/api/v1/legal/checkups/{pk}/report/?fmt=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_given_the_api_when_a_link_term_ends_before_it_starts_then_400_and_nothing_saved(tree, users):
    today = actions.today()
    data = link_data(tree, users, today, starts_on=str(today), ends_on=str(today - dt.timedelta(days=3)))
    data.pop("lawyers")
    response = _api(users.county_staff).post("/api/v1/legal/links/", data, format="json")
    assert response.status_code == 400 and "截止日期" in response.json()["ends_on"][0]
    assert not FirmLink.objects.exists()


def test_given_scopes_when_listing_through_the_api_then_each_role_sees_its_own(legal, tree, users):
    checkup = walk_to("reported", tree, users)
    for user, expected in ((users.lawyer, 1), (users.enterprise, 1), (users.secretary, 1), (users.city_staff, 1),
                           (users.enterprise_b, 0), (users.county_b_staff, 0)):  # fmt: skip
        body = _api(user).get("/api/v1/legal/checkups/").json()
        assert body["count"] == expected, user.username
    assert _api(users.county_b_staff).get(f"/api/v1/legal/checkups/{checkup.pk}/").status_code == 404
    assert _api(users.lawyer).get("/api/v1/legal/links/").json()["count"] == 1
    assert _api(users.liaison).get("/api/v1/legal/checkups/").status_code == 403


def test_given_the_figures_api_then_values_and_breakdowns_agree(legal, tree, users):
    walk_to("reported", tree, users)
    body = _api(users.leader).get("/api/v1/legal/figures/").json()
    assert body["figures"]["legal.risk_points"]["value"] == 2
    assert body["figures"]["legal.risk_red"]["value"] == 1
    assert body["figures"]["legal.enterprises_checked"]["value"] == 1
    firm = next(row for row in body["by_law_firm"] if row["id"] == tree.lawfirm.pk)
    assert dict(zip(body["breakdown_keys"], firm["values"], strict=True))["legal.risk_points"] == 2


def test_given_a_visited_checkup_when_a_risk_is_edited_through_the_api_then_audited_and_frozen_after_the_report(
    legal, tree, users
):
    from qinqing.core.models import AuditEntry

    checkup = walk_to("visited", tree, users)
    area = checkup.version.areas.get(code="labour")
    lawyer = _api(users.lawyer)
    created = lawyer.post(f"/api/v1/legal/checkups/{checkup.pk}/risks/", {"area": area.pk, "level": "yellow",
                          "facts": "未签劳动合同", "recommendation": "补签"}, format="json")  # fmt: skip
    url = f"/api/v1/legal/risks/{created.json()['id']}/"
    bad = lawyer.put(url, {"area": area.pk, "level": "", "facts": "x", "recommendation": "y"}, format="json")
    assert bad.status_code == 400 and "level" in bad.json()
    done = lawyer.put(url, {"area": area.pk, "level": "red", "facts": "未签劳动合同", "recommendation": "一个月内补签"},
                      format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["level"] == "red"
    assert AuditEntry.objects.filter(action="legal.update_risk").count() == 1
    assert _api(users.county_staff).put(url, {}, format="json").status_code == 403
    actions.issue_report(checkup, actor=users.lawyer, summary="可控")
    assert lawyer.put(url, {"area": area.pk, "level": "yellow", "facts": "x", "recommendation": "y"},
                      format="json").status_code == 409  # fmt: skip
    assert RiskPoint.objects.get().level == "red"
