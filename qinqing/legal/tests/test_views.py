"""The check-up pages through the HTTP client: each role's step, the bad-input messages on the form, scope (404),
masking, the report downloads, the lawyer's to-do piles and the list's query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.legal import actions
from qinqing.legal.choices import Status
from qinqing.legal.models import Checkup, FirmLink, Question

from .conftest import walk_to

pytestmark = pytest.mark.django_db


def test_given_an_enterprise_when_requesting_on_the_page_then_the_checkup_is_made(legal, tree, users, login):
    client = login(users.enterprise)
    page = client.get("/legal/request/")
    assert page.status_code == 200 and tree.chamber_a.name in page.content.decode()

    response = client.post("/legal/request/", {"chamber": tree.chamber_a.pk, "request_note": "拟签大额合同",
                                               "contact_phone": "138-0000-1111x"})  # fmt: skip
    assert "联系电话只能包含数字" in response.content.decode() and not Checkup.objects.exists()
    response = client.post("/legal/request/", {"chamber": tree.chamber_a.pk, "contact_phone": "13800001111"})
    checkup = Checkup.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/legal/checkups/{checkup.pk}/"
    assert checkup.chamber == tree.chamber_a and checkup.source == "chamber"


def test_given_staff_when_assigning_on_the_page_then_only_linked_lawyers_are_offered(legal, tree, users, login):
    checkup = walk_to("requested", tree, users)
    client = login(users.county_staff)
    page = client.get(f"/legal/checkups/{checkup.pk}/").content.decode()
    assert users.lawyer.name in page and "138****1111" in page and "13800001111" not in page

    response = client.post(f"/legal/checkups/{checkup.pk}/assign/", {"lawyer": users.lawyer.pk,
                                                                    "visit_on": "2000-01-01"})  # fmt: skip
    checkup.refresh_from_db()
    assert checkup.status == Status.REQUESTED
    assert "预约走访日期不能早于申请日期" in client.get(response["Location"]).content.decode()
    client.post(f"/legal/checkups/{checkup.pk}/assign/", {"lawyer": users.lawyer.pk, "visit_on": actions.today()})
    checkup.refresh_from_db()
    assert checkup.status == Status.ASSIGNED and checkup.lawyer == users.lawyer


def test_given_the_lawyer_when_visiting_and_reporting_on_pages_then_bad_risks_are_named(legal, tree, users, login):
    checkup = walk_to("assigned", tree, users)
    client = login(users.lawyer)
    home = client.get("/legal/").content.decode()
    assert "待走访 1 家" in home and checkup.number in home
    questions = Question.objects.filter(area__version_id=checkup.version_id)
    data = {"visited_on": str(actions.today()), "visit_note": "查阅台账"}
    data.update({f"q_{q.pk}": "yes" for q in questions})
    response = client.post(f"/legal/checkups/{checkup.pk}/visit/", data)
    assert response.status_code == 302 and response["Location"].endswith("/report/")

    area = checkup.version.areas.first()
    url = f"/legal/checkups/{checkup.pk}/report/"
    page = client.post(url, {"area": area.pk, "level": "", "facts": "事实", "recommendation": "建议"})
    assert "风险等级：请选择红" in page.content.decode() and not checkup.risks.exists()
    page = client.post(f"/legal/checkups/{checkup.pk}/report/", {"area": area.pk, "level": "red", "facts": "事实",
                                                                 "recommendation": ""})  # fmt: skip
    assert "请填写整改建议" in page.content.decode() and not checkup.risks.exists()
    client.post(f"/legal/checkups/{checkup.pk}/report/", {"area": area.pk, "level": "red", "facts": "事实",
                                                          "recommendation": "建议"})  # fmt: skip
    client.post(f"/legal/checkups/{checkup.pk}/report/issue/", {"report_summary": "总体良好"})
    checkup.refresh_from_db()
    assert checkup.status == Status.REPORTED and checkup.risks.count() == 1


def test_given_a_visited_checkup_when_the_lawyer_edits_a_risk_on_the_page_then_it_changes_and_is_audited(
    legal, tree, users, login
):
    from qinqing.core.models import AuditEntry

    checkup = walk_to("visited", tree, users)
    areas = {a.code: a for a in checkup.version.areas.all()}
    risk = actions.add_risk(checkup, actor=users.lawyer, data={"area": areas["labour"].pk, "level": "yellow",
                            "facts": "未签劳动合同", "recommendation": "补签"})  # fmt: skip
    client = login(users.lawyer)
    report = client.get(f"/legal/checkups/{checkup.pk}/report/").content.decode()
    assert f"/legal/risks/{risk.pk}/edit/" in report
    form = client.get(f"/legal/risks/{risk.pk}/edit/").content.decode()
    assert "未签劳动合同" in form and "补签" in form

    # Bad input names the field and changes nothing
    page = client.post(f"/legal/risks/{risk.pk}/edit/", {"area": areas["labour"].pk, "level": "red",
                                                        "facts": "事实", "recommendation": ""})  # fmt: skip
    assert page.status_code == 200 and "请填写整改建议" in page.content.decode()
    risk.refresh_from_db()
    assert (risk.level, risk.recommendation) == ("yellow", "补签")

    response = client.post(f"/legal/risks/{risk.pk}/edit/", {"area": areas["contract"].pk, "level": "red",
                           "facts": "12名员工未签劳动合同", "recommendation": "一个月内补签"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/legal/checkups/{checkup.pk}/report/"
    risk.refresh_from_db()
    assert (risk.area_id, risk.level, risk.recommendation) == (areas["contract"].pk, "red", "一个月内补签")
    entry = AuditEntry.objects.get(action="legal.update_risk")
    assert entry.actor == users.lawyer and entry.before["level"] == "yellow" and entry.after["level"] == "red"

    # Staff do not draft reports (403); after the report the risk is frozen
    assert login(users.county_staff).get(f"/legal/risks/{risk.pk}/edit/").status_code == 403
    actions.issue_report(checkup, actor=users.lawyer, summary="总体可控")
    client = login(users.lawyer)
    assert f"/legal/risks/{risk.pk}/edit/" not in client.get(f"/legal/checkups/{checkup.pk}/report/").content.decode()
    page = client.post(f"/legal/risks/{risk.pk}/edit/", {"area": areas["labour"].pk, "level": "yellow",
                                                        "facts": "改", "recommendation": "改"})  # fmt: skip
    assert "报告已出具，风险点不能再修改" in page.content.decode()
    risk.refresh_from_db()
    assert risk.level == "red"


def test_given_a_report_when_the_enterprise_follows_up_on_the_page_then_declining_needs_a_reason(
    legal, tree, users, login
):
    checkup = walk_to("reported", tree, users)
    red, yellow = checkup.risks.order_by("pk")
    client = login(users.enterprise)
    response = client.post(f"/legal/checkups/{checkup.pk}/follow/", {f"status_{yellow.pk}": "declined"}, follow=True)
    assert "须填写理由" in response.content.decode()
    yellow.refresh_from_db()
    assert yellow.follow_status == "pending"
    client.post(f"/legal/checkups/{checkup.pk}/follow/", {f"status_{red.pk}": "done", f"status_{yellow.pk}": "doing"})
    assert sorted(checkup.risks.values_list("follow_status", flat=True)) == ["doing", "done"]


def test_given_a_report_when_downloaded_then_docx_and_pdf_carry_the_names_and_are_audited(legal, tree, users, login):
    from io import BytesIO

    from docx import Document

    from qinqing.core.models import AuditEntry

    checkup = walk_to("reported", tree, users)
    client = login(users.enterprise)
    docx = client.get(f"/legal/checkups/{checkup.pk}/report.docx")
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    table = Document(BytesIO(docx.content)).tables[0]
    assert tree.ent_a.name in text and tree.lawfirm.name in text and "法律风险评估报告" in text
    assert [row.cells[2].text for row in table.rows[1:]] == ["红（重大且紧急）", "黄（一般）"]
    pdf = client.get(f"/legal/checkups/{checkup.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="legal.download_report", object_id=str(checkup.pk)).count() == 2


def test_given_other_users_when_opening_a_checkup_then_404(legal, tree, users, login):
    from conftest import PASSWORD
    from qinqing.accounts.actions import create_user

    checkup = walk_to("reported", tree, users)
    other_lawyer = create_user(username="lawyer2", name="lawyer2", role="lawyer", org=tree.lawfirm,
                               password=PASSWORD, must_change_password=False)  # fmt: skip
    for user in (users.enterprise_b, users.county_b_staff, other_lawyer):
        client = login(user)
        assert client.get(f"/legal/checkups/{checkup.pk}/").status_code == 404
        assert client.get(f"/legal/checkups/{checkup.pk}/report.pdf").status_code in (403, 404)
    assert login(users.secretary).get(f"/legal/checkups/{checkup.pk}/").status_code == 200
    assert login(other_lawyer).get(f"/legal/links/{legal.link.pk}/").status_code == 200


def test_given_many_checkups_when_listing_then_queries_do_not_grow(legal, tree, users, login):
    walk_to("reported", tree, users)
    client = login(users.city_staff)
    client.get("/legal/")  # the session's first request also stamps the session and warms the menu
    with CaptureQueriesContext(connection) as few:
        assert client.get("/legal/").status_code == 200
    version = actions.current_version()
    Checkup.objects.bulk_create([Checkup(number=f"X{i}", enterprise=tree.ent_a, org_path=tree.ent_a.org_path,
                                         requested_on=actions.today(), version=version, lawyer=users.lawyer,
                                         law_firm=tree.lawfirm) for i in range(15)])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert client.get("/legal/").status_code == 200
    assert len(many) == len(few)


def test_given_staff_when_saving_a_link_with_a_bad_term_on_the_page_then_named_and_nothing_saved(tree, users, login):
    client = login(users.county_staff)
    today = actions.today()
    response = client.post("/legal/links/new/", {
        "law_firm": tree.lawfirm.pk, "chamber": tree.chamber_a.pk, "starts_on": today,
        "ends_on": today - dt.timedelta(days=1), "services": ["checkup"]})  # fmt: skip
    assert "截止日期不能早于起始日期" in response.content.decode() and not FirmLink.objects.exists()


def test_given_staff_when_planning_a_round_and_recording_a_talk_on_pages_then_both_are_listed(
    legal, tree, users, login
):
    client = login(users.county_staff)
    response = client.post("/legal/rounds/new/", {"title": "2026年度法治体检", "credit_codes": tree.ent_a.credit_code})
    assert response.status_code == 302
    assert Checkup.objects.filter(source="round", enterprise=tree.ent_a).exists()
    talk = {
        "date": str(actions.today()),
        "topic": "劳动合同法讲座",
        "chamber": tree.chamber_a.pk,
        "lawyer": users.lawyer.pk,
        "attendees": 35,
        "enterprise_codes": tree.ent_a.credit_code,
    }
    response = client.post("/legal/talks/new/", talk)
    assert response.status_code == 302
    assert "劳动合同法讲座" in login(users.lawyer).get("/legal/talks/").content.decode()


def test_given_staff_when_maintaining_the_questionnaire_on_pages_then_a_draft_is_published(tree, users, login):
    client = login(users.city_staff)
    client.post("/legal/questionnaire/new/", {"title": "2027版"})
    draft = actions.current_version().__class__.objects.get(title="2027版")
    area = draft.areas.get(code="ip")
    client.post(f"/legal/questionnaire/{draft.pk}/question/", {"area": area.pk, "question": "是否登记商业秘密？"})
    client.post(f"/legal/questionnaire/{draft.pk}/publish/")
    assert actions.current_version() == draft and area.questions.filter(text="是否登记商业秘密？").exists()
    page = login(users.enterprise).get(f"/legal/questionnaire/{draft.pk}/")
    assert page.status_code == 200 and "是否登记商业秘密？" in page.content.decode()


def test_given_figures_when_broken_down_by_law_firm_then_each_cell_equals_its_records(legal, tree, users, login):
    checkup = walk_to("reported", tree, users)
    client = login(users.city_staff)
    page = client.get("/legal/figures/").content.decode()
    assert tree.lawfirm.name in page and tree.chamber_a.name in page
    records = client.get(f"/legal/figures/legal.risk_points/?law_firm={tree.lawfirm.pk}").content.decode()
    assert 'id="figure-value">2<' in records and records.count(checkup.number) == 2
    chamber = client.get(f"/legal/figures/legal.visits/?chamber={tree.chamber_b.pk}").content.decode()
    assert 'id="figure-value">0<' in chamber
