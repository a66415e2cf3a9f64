"""Mediation pages through the HTTP client: lists scoped and masked, registration with bad input, the case page
for each role, outcome steps in order, the 调解协议书, bodies and rosters, figures and their drill-down."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from qinqing.core.models import AuditEntry
from qinqing.mediation import actions
from qinqing.mediation.models import Case

from . import factories

pytestmark = pytest.mark.django_db


def test_given_cases_when_each_role_lists_them_then_each_sees_only_theirs_with_parties_masked(
    login, tree, users, med, django_assert_max_num_queries
):
    other = actions.register_case(actor=users.county_staff, body=med.centre,
                                  data={"source": "application", "case_type": "loan", "amount": "8"},
                                  parties=factories.parties(applicant={"name": "李四"}))  # fmt: skip
    url = reverse("mediation:cases")
    seen = {}
    for name in ("mediator", "secretary", "county_staff", "enterprise", "county_b_staff", "leader"):
        client = login(getattr(users, name))
        with django_assert_max_num_queries(14):
            response = client.get(url)
        assert response.status_code == 200
        seen[name] = {c.number for c in (r["case"] for r in response.context["rows"])}
        assert "张小明" not in response.content.decode() and "13800001111" not in response.content.decode()
    assert seen["mediator"] == {med.case.number}
    assert seen["secretary"] == {med.case.number}
    assert seen["county_staff"] == seen["leader"] == seen["enterprise"] == {med.case.number, other.number}
    assert seen["county_b_staff"] == set()


def test_given_the_case_page_when_the_mediator_or_a_party_opens_it_then_contacts_masked_and_reveal_audited(
    login, users, med
):
    from qinqing.core.models import AuditEntry

    url = reverse("mediation:case_detail", args=[med.case.pk])
    reveal = reverse("mediation:reveal_contacts", args=[med.case.pk])
    mediator = login(users.mediator)
    page = mediator.get(url).content.decode()
    assert "13800001111" not in page and "138****1111" in page and "登记调解记录" in page and reveal in page
    assert not AuditEntry.objects.filter(action="mediation.reveal_contacts").exists()
    assert mediator.get(reveal).status_code == 405
    partial = mediator.post(reveal, HTTP_HX_REQUEST="true").content.decode()
    assert "13800001111" in partial and "<html" not in partial and reveal not in partial
    assert mediator.post(reveal).status_code == 200  # without HTMX: the whole page, in full
    entries = AuditEntry.objects.filter(action="mediation.reveal_contacts")
    assert entries.count() == 2 and {e.actor for e in entries} == {users.mediator}

    page = login(users.enterprise).get(url).content.decode()
    assert "13800001111" not in page and "138****1111" in page and "张*" in page and "登记调解记录" not in page
    assert reveal not in page and login(users.enterprise).post(reveal).status_code in (403, 404)
    assert login(users.leader).post(reveal).status_code in (403, 404)
    assert entries.count() == 2
    assert login(users.county_b_staff).get(url).status_code == 404
    assert login(users.enterprise_b).get(url).status_code == 404


def test_given_the_registration_page_when_court_name_is_missing_then_the_form_names_it_and_nothing_is_saved(
    login, users, med
):
    client = login(users.secretary)
    data = {**factories.court_data(court_case_number="A-9", court_name=""), "body": med.committee.pk,
            "applicant_kind": "person", "applicant_name": "王五", "respondent_kind": "organisation",
            "respondent_credit_code": "91430621MA4L000030", "mediator": users.mediator.pk}  # fmt: skip
    response = client.post(reverse("mediation:case_new"), data)
    assert response.status_code == 200
    assert "须填写法院名称" in response.content.decode()
    assert not Case.objects.filter(court_case_number="A-9").exists()
    data["court_name"] = "岳阳县人民法院"
    response = client.post(reverse("mediation:case_new"), data)
    case = Case.objects.get(court_case_number="A-9")
    assert response.status_code == 302 and case.mediator == users.mediator


def test_given_an_open_case_when_the_mediator_posts_confirmation_then_refused_and_then_the_order_works(
    login, users, med
):
    client = login(users.mediator)
    step = lambda name: reverse("mediation:case_step", args=[med.case.pk, name])  # noqa: E731
    response = client.post(step("request_confirmation"), {}, follow=True)
    assert "只有调解成功的案件才能申请司法确认" in response.content.decode()
    client.post(step("session"), {"held_on": actions.today(), "mode": "onsite", "place": "商会调解室",
                                  "attendees": "双方"})  # fmt: skip
    client.post(step("settle"), {"agreement_text": "支付10万元", "closed_on": actions.today()})
    client.post(step("request_confirmation"), {"confirmation_court": "岳阳县人民法院"})
    response = client.post(step("confirmation"), {"result": "confirmed", "confirmation_number": "民特1号"}, follow=True)
    assert "裁定确认有效" in response.content.decode()
    med.case.refresh_from_db()
    assert (med.case.status, med.case.confirmation, med.case.sessions.count()) == ("settled", "confirmed", 1)
    # The secretary may not take the mediator's steps on a case of another body, nor may county B.
    assert login(users.county_b_staff).post(step("settle"), {"agreement_text": "x"}).status_code == 404


def test_given_a_settled_case_when_the_agreement_is_downloaded_then_a_docx_with_the_parties_and_audited(
    login, tree, users
):
    from docx import Document

    case = factories.settled_case(tree, users)
    url = reverse("mediation:case_agreement", args=[case.pk])
    response = login(users.enterprise).get(url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "调解协议书" in text and "张小明" in text and tree.ent_a.name in text and "10万元" in text
    assert AuditEntry.objects.filter(action="mediation.download_agreement", object_id=str(case.pk)).exists()
    assert login(users.leader).get(url).status_code == 404
    assert login(users.county_b_staff).get(url).status_code == 404


def test_given_a_body_when_the_secretary_keeps_the_roster_then_mediators_come_and_go(login, tree, users, med):
    from conftest import PASSWORD
    from qinqing.accounts.actions import create_user

    second = create_user(username="mediator2", name="调解员乙", role="mediator", org=tree.county_a,
                         password=PASSWORD, must_change_password=False)  # fmt: skip
    client = login(users.secretary)
    url = reverse("mediation:roster_add", args=[med.committee.pk])
    client.post(url, {"user": second.pk, "title": "退休法官", "specialities": ["loan", "lease"]})
    entry = med.committee.roster.get(user=second)
    assert entry.specialities == ["loan", "lease"] and entry.is_active
    page = client.get(reverse("mediation:body_detail", args=[med.committee.pk])).content.decode()
    assert "调解员乙" in page and "借贷、租赁" in page
    client.post(reverse("mediation:roster_remove", args=[med.committee.pk, entry.pk]))
    entry.refresh_from_db()
    assert not entry.is_active
    assert login(users.county_b_staff).post(url, {"user": second.pk}).status_code == 404


def test_given_a_year_of_cases_when_figures_are_opened_then_values_roll_up_and_equal_their_records(
    login, tree, users, med
):
    factories.settled_case(tree, users, court_case_number="S-1")
    actions.fail(med.case, actor=users.mediator, data={})
    client = login(users.city_staff)
    response = client.get(reverse("mediation:figures"))
    assert response.status_code == 200
    cards = {c["key"]: c for c in response.context["cards"]}
    assert cards["mediation.cases"]["value"] == 2 and cards["mediation.settled"]["value"] == 1
    assert cards["mediation.settlement_rate"]["value"] == 50.0
    tree_rows = {r["node"].pk: r for r in response.context["tree"]}
    assert tree.county_a.pk in tree_rows and tree.county_b.pk not in tree_rows
    records = client.get(reverse("mediation:figure_records", args=["mediation.cases"]))
    assert len(records.context["page"].object_list) == records.context["value"] == 2
    assert "法院委派（诉前）" in records.content.decode()
    secretary = login(users.secretary).get(reverse("mediation:figures"))
    assert {c["key"]: c["value"] for c in secretary.context["cards"]}["mediation.cases"] == 2
    assert login(users.county_b_staff).get(reverse("mediation:figures")).context["cards"][0]["value"] == 0


def test_given_an_overdue_case_when_listed_then_flagged_and_filterable(login, users, med):
    Case.objects.filter(pk=med.case.pk).update(deadline=actions.today() - dt.timedelta(days=2))
    response = login(users.mediator).get(reverse("mediation:cases") + "?overdue=1")
    assert response.context["overdue_count"] == 1
    assert [r["overdue"] for r in response.context["rows"]] == [True]
    assert login(users.mediator).get(reverse("mediation:cases") + "?body=abc").status_code == 400
