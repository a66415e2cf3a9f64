"""Every export endpoint, given data carrying OWASP's formula payloads, writes cells that cannot run.

Enterprise, chamber, member, appeal, domain and import-error texts are set to the payloads; each export is
downloaded through its page or API route. xlsx: no formula cell, and the text is kept as written. CSV: no
cell starts a formula (the payload comes back quoted). The URL configuration is walked so that an export
route added later fails the coverage test until it is listed here.
"""

import csv
import datetime
import inspect
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from qinqing.appeals.models import AppealDomain, AppealType
from qinqing.core import audit, cellsafety
from qinqing.core.tests.isolation_registry import endpoints
from qinqing.core.tests.test_cellsafety import PAYLOADS

pytestmark = pytest.mark.django_db

ENTERPRISE = PAYLOADS[0]  # =cmd|' /C calc'!A0
TITLE = PAYLOADS[1]  # =HYPERLINK(…)
DOMAIN = PAYLOADS[2]  # +1+1
CHAMBER_NOTE = PAYLOADS[3]  # -2+3
MEMBER = PAYLOADS[4]  # @SUM(…)
IMPORT_VALUE = PAYLOADS[5]  # tab-prefixed


@pytest.fixture
def poisoned(tree, users):
    """County-A data whose free texts are formula payloads, and one meeting issue, policy and import job."""
    from qinqing.meetings import actions as meeting_actions
    from qinqing.policies.actions import create_policy, set_policy_state
    from qinqing.policies.matching import run_matching
    from qinqing.registry.chambers import actions as actions_chambers
    from qinqing.registry.models import Enterprise, Member

    Enterprise.objects.filter(pk=tree.ent_a.pk).update(name=ENTERPRISE, employees=50, address=PAYLOADS[6])
    tree.ent_a.refresh_from_db()
    audit.record("registry.update_enterprise", obj=tree.ent_a, actor=users.county_staff)  # for the log export
    domain = AppealDomain.objects.first()
    AppealDomain.objects.filter(pk=domain.pk).update(name=DOMAIN)
    domain.refresh_from_db()
    meeting = meeting_actions.create_meeting(
        actor=users.county_staff,
        kind="talk",
        title="恳谈会",
        day=datetime.date(2026, 3, 10),
        host_leader="县长",
        departments=[tree.dept_a],
        enterprises=[tree.ent_a],
    )
    meeting_actions.record_issue(
        meeting,
        actor=users.county_staff,
        enterprise=tree.ent_a,
        appeal_type=AppealType.objects.first(),
        domain=domain,
        title=TITLE,
    )
    chamber = actions_chambers.register_chamber(tree.chamber_a, actor=users.county_staff, chamber_type="industry")
    type(chamber).objects.filter(pk=chamber.pk).update(note=CHAMBER_NOTE)
    Member.objects.create(
        organization=tree.county_a,
        org_path=tree.county_a.path,
        kind="individual",
        person_name=MEMBER,
        joined_on=datetime.date(2020, 1, 1),
    )
    rule = {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 10}]}
    policy = create_policy(
        actor=users.city_staff,
        data={
            "title": "稳岗补贴",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "apply",
            "effective_on": datetime.date(2024, 1, 1),
            "body": "对吸纳就业的中小企业给予稳岗补贴。",
            "rule": rule,
        },
    )
    policy = set_policy_state(policy, actor=users.city_staff, state="published")
    run_matching(tree.city.path)
    return {"meeting": meeting, "policy": policy, "job": _import_job_with_errors(users)}


def _import_job_with_errors(users):
    """A finished import job whose errors.csv holds a payload as the rejected value."""
    from qinqing.core.models import Job
    from qinqing.registry.importing.report import ImportReport, RowIssue
    from qinqing.registry.tasks import errors_path, write_errors_csv

    job = Job.objects.create(
        kind="registry.import_preview",
        title="预检企业名录",
        created_by=users.county_staff,
        org_path=users.county_staff.org.path,
        status="succeeded",
    )
    report = ImportReport(kind="enterprises")
    report.errors.append(RowIssue(2, "企业名称", IMPORT_VALUE, "测试原因"))
    write_errors_csv(report, errors_path(job.pk))
    return job


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _cells(response) -> tuple[bool, list]:
    """Whether the download is an xlsx, and every cell: (value, is_formula); (value, False) from a CSV."""
    body = _body(response)
    assert response.status_code == 200, response.status_code
    if body[:2] == b"PK":
        book = openpyxl.load_workbook(io.BytesIO(body))
        return True, [
            (cell.value, cell.data_type == "f")
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    text = body.decode("utf-8-sig")
    return False, [(cell, False) for row in csv.reader(io.StringIO(text)) for cell in row]


# name → (who downloads it, the URL from the fixture, the payload that must come back safely)
EXPORTS = {
    "registry:enterprise_list": ("leader", lambda d: "/registry/enterprises/?export=xlsx", ENTERPRISE),
    "registry:enterprise_list csv": ("leader", lambda d: "/registry/enterprises/?export=csv", ENTERPRISE),
    "registry:member_list": ("leader", lambda d: "/registry/members/?export=xlsx", MEMBER),
    "registry:member_list csv": ("leader", lambda d: "/registry/members/?export=csv", MEMBER),
    "registry:chamber_list": ("leader", lambda d: "/registry/chambers/?export=xlsx", CHAMBER_NOTE),
    "registry:chamber_list csv": ("leader", lambda d: "/registry/chambers/?export=csv", CHAMBER_NOTE),
    "registry:import_errors": (
        "county_staff",
        lambda d: reverse("registry:import_errors", args=[d["job"].pk]),
        IMPORT_VALUE,
    ),
    "meetings:export": (
        "county_staff",
        lambda d: reverse("meetings:export", args=[d["meeting"].pk, "problems", "xlsx"]),
        TITLE,
    ),
    "meetings:export duties": (
        "county_staff",
        lambda d: reverse("meetings:export", args=[d["meeting"].pk, "duties", "xlsx"]),
        TITLE,
    ),
    "meetings-meeting-lists": (
        "county_staff",
        lambda d: f"/api/v1/meetings/{d['meeting'].pk}/lists/?kind=problems&fmt=xlsx",
        ENTERPRISE,
    ),
    "appeals:figures_export": ("leader", lambda d: reverse("appeals:figures_export") + "?by=domain", DOMAIN),
    "policies:matching_detail": (
        "city_staff",
        lambda d: reverse("policies:matching_detail", args=[d["policy"].pk]) + "?export=xlsx",
        ENTERPRISE,
    ),
    "reports:figure_csv": ("county_staff", lambda d: "/reports/figures/registry.members/csv", MEMBER),
    "core:audit_export": ("audit_admin", lambda d: "/audit/export.csv", ENTERPRISE),
    "reports:statistics": ("county_staff", lambda d: "/reports/statistics/?format=xlsx", None),
    "reports:ranking_export": (
        "county_staff",
        lambda d: reverse("reports:ranking_export", args=[_ranking(d).pk, "xlsx"]),
        ENTERPRISE,
    ),
    # The rows come from the financing module's row builders, replaced here by rows carrying the payload:
    # what is tested is that the view writes them through the safe workbook.
    "financing:need_export": ("city_staff", lambda d: reverse("financing:need_export"), TITLE),
    "financing:referral_export": ("city_staff", lambda d: reverse("financing:referral_export"), TITLE),
    # A court-referred mediation case whose applicant (a party name typed by the secretary) is a payload.
    "mediation:exchange_export": (
        "secretary",
        lambda d: reverse("mediation:exchange_export", args=["xlsx"]) + _mediation_case(d),
        TITLE,
    ),
    "mediation-exchange-export": (
        "secretary",
        lambda d: "/api/v1/mediation/exchange/export/?format=xlsx" + _mediation_case(d),
        TITLE,
    ),
    # The ledger's party is ent_a (its name a payload); the village typed on the pairing is another.
    "programs:ledger": ("county_staff", lambda d: "/programs/ledger.xlsx?county=430621" + _pairing(d), ENTERPRISE),
    "programs:ledger village": ("county_staff", lambda d: "/programs/ledger.xlsx?county=430621" + _pairing(d), DOMAIN),
    # A survey answered by ent_a whose free-text answer is a payload.
    "surveys:export": ("county_staff", lambda d: reverse("surveys:export", args=[_survey(d).pk]), CHAMBER_NOTE),
    "surveys-survey-export": ("county_staff", lambda d: f"/api/v1/surveys/surveys/{_survey(d).pk}/export/", ENTERPRISE),
}
PATCHED_ROWS = {
    "financing:need_export": "need_rows",
    "financing:referral_export": "referral_rows",
}


def _ranking(data):
    from django.utils import timezone

    from qinqing.reports.models import RankingList

    org = data["tree"].county_a
    return RankingList.objects.create(
        org=org,
        org_path=org.path,
        metric="revenue",
        year=2025,
        top=1,
        title="营收榜",
        rule="按营业收入",
        note="",
        value_header="营业收入",
        data_date=timezone.now(),
        entries=[{"rank": 1, "credit_code": data["tree"].ent_a.credit_code, "name": ENTERPRISE, "value": 1}],
    )


def _mediation_case(data) -> str:
    """Registers the case (the export takes every court-referred case in scope, so the URL suffix is empty)."""
    from qinqing.mediation import actions
    from qinqing.mediation.tests import factories

    tree, users = data["tree"], data["users"]
    actions.register_case(
        actor=users.secretary,
        body=factories.committee(tree, users),
        data=factories.court_data(),
        parties=factories.parties(applicant={"name": TITLE, "address": MEMBER}),
        mediator=users.mediator,
    )
    return ""


def _pairing(data) -> str:
    from qinqing.programs import actions

    tree, users = data["tree"], data["users"]
    actions.save_pairing(
        actor=users.county_staff,
        data={"party_kind": "enterprise", "enterprise": tree.ent_a, "county_code": "430621", "village": DOMAIN,
              "started_on": datetime.date(2025, 3, 1)},
    )  # fmt: skip
    return ""


def _survey(data):
    from qinqing.surveys import actions
    from qinqing.surveys.tests.conftest import answers, small_structure

    tree, users = data["tree"], data["users"]
    survey = actions.create_survey(actor=users.county_staff, data={"title": "会员服务满意度调查"})
    survey = actions.save_structure(survey, actor=users.county_staff, data=small_structure())
    survey = actions.open_survey(survey, actor=users.county_staff)
    raw = answers(q1=2) | {"Q2": CHAMBER_NOTE}
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=raw)
    return survey


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_given_payloads_in_the_data_when_exported_then_no_cell_is_a_live_formula(
    name, poisoned, tree, users, client, monkeypatch
):
    who, url, payload = EXPORTS[name]
    if name in PATCHED_ROWS:
        from qinqing.financing import exports

        monkeypatch.setattr(exports, PATCHED_ROWS[name], lambda *a, **k: (["企业"], [[p] for p in PAYLOADS]))
    client.force_login(getattr(users, who))  # a session serves the API too

    response = client.get(url({**poisoned, "tree": tree, "users": users}))

    xlsx, cells = _cells(response)

    assert not [value for value, formula in cells if formula], "formula cells in the export"
    texts = [str(value).replace("_x000D_", "\r") for value, _formula in cells]
    if payload is None:  # labels and counts only: no stored text to carry a payload
        return
    if xlsx:  # a text cell is never evaluated: the text is kept exactly
        assert payload in texts, f"{payload!r} not found as a text cell"
    else:  # CSV has no types: a cell that would start a formula is quoted
        assert not [t for t in texts if cellsafety.is_dangerous(t)]
        assert "'" + payload in texts, f"{payload!r} not found quoted"


# Views whose code writes a spreadsheet file (by these words in their source), with their route.
EXPORT_WORDS = re.compile(r"export|xlsx|\.csv|write_csv|FileResponse")
NOT_SPREADSHEETS = {
    # templates: fixed column labels and example rows, no stored data
    "registry:import_template",
    "registry-import-template",
    "financing:need_template",
    "financing:feedback_template",
    "financing:figures_export",  # figure labels and numbers only (written through core.cellsafety anyway)
    "reports:summary_export",  # .docx/.pdf, no spreadsheet
    "reports:figures",  # HTML pages that link to reports:figure_csv
    "reports:figure",
    "reports-figure",  # JSON (its docstring mentions the CSV export)
    "legal-checkup-report",  # .docx/.pdf risk report, no spreadsheet
    "programs:pairings",  # HTML list page (its can_export flag shows the link to programs:ledger)
    "surveys:import_template",  # header row only: the credit-code label and item codes (letters, digits, _)
}


def _view_source(endpoint) -> str:
    """The source of the view function, or of the DRF viewset's methods this route dispatches to."""
    callback = endpoint.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    actions = getattr(callback, "actions", None)
    try:
        if actions:
            return "\n".join(inspect.getsource(getattr(view, name)) for name in actions.values() if hasattr(view, name))
        return inspect.getsource(view)
    except (OSError, TypeError):
        return ""


def test_given_the_url_configuration_when_walked_then_every_export_route_is_tested_above():
    covered = {name.split(" ")[0] for name in EXPORTS}
    uncovered = [
        f"{endpoint.label} ({endpoint.route})"
        for endpoint in endpoints()
        if (EXPORT_WORDS.search(_view_source(endpoint)) or EXPORT_WORDS.search(endpoint.route))
        and endpoint.label not in covered | NOT_SPREADSHEETS
    ]
    assert not uncovered, "export routes without a formula-injection test in EXPORTS:\n" + "\n".join(sorted(uncovered))
