"""County-A legal objects for the role × URL matrix, the isolation tests and the schema fuzzing."""

import datetime as dt

from qinqing.core.tests.isolation_registry import Sample


def _link(tree, users):
    from qinqing.legal import actions
    from qinqing.legal.models import FirmLink
    from qinqing.registry.models import Member

    existing = FirmLink.objects.filter(chamber=tree.chamber_a, law_firm=tree.lawfirm).first()
    if existing is not None:
        return existing
    Member.objects.get_or_create(organization=tree.chamber_a, enterprise=tree.ent_a, defaults={
        "org_path": tree.chamber_a.path, "kind": "enterprise", "joined_on": dt.date(2020, 1, 1)})  # fmt: skip
    today = actions.today()
    return actions.save_link(actor=users.county_staff, data={
        "law_firm": tree.lawfirm.pk, "chamber": tree.chamber_a.pk, "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=335), "services": ["checkup", "talk"],
        "lawyers": [users.lawyer.pk]})  # fmt: skip


def _checkup(tree, users):
    """ent_a's check-up reported (a red risk), so every page and step has something to show."""
    from qinqing.legal import actions
    from qinqing.legal.choices import Status
    from qinqing.legal.models import Checkup, Question

    found = Checkup.objects.filter(enterprise=tree.ent_a, status=Status.REPORTED).first()
    if found is not None:
        return found
    _link(tree, users)
    checkup = actions.request_checkup(actor=users.enterprise, enterprise=tree.ent_a,
                                      data={"chamber": tree.chamber_a.pk, "contact_phone": "13800001111"})  # fmt: skip
    today = actions.today()
    actions.assign_checkup(checkup, actor=users.county_staff, lawyer=users.lawyer, visit_on=today)
    answers = {q.pk: ("yes", "") for q in Question.objects.filter(area__version_id=checkup.version_id)}
    actions.record_visit(checkup, actor=users.lawyer, visited_on=today, answers=answers)
    area = checkup.version.areas.get(code="labour")
    actions.add_risk(checkup, actor=users.lawyer, data={"area": area.pk, "level": "red", "facts": "未签劳动合同",
                                                        "recommendation": "补签"})  # fmt: skip
    return actions.issue_report(checkup, actor=users.lawyer, summary="劳动用工风险突出")


def _risk(tree, users):
    return _checkup(tree, users).risks.first()


def _talk(tree, users):
    from qinqing.legal import actions

    _link(tree, users)
    return actions.save_talk(actor=users.county_staff, data={
        "date": actions.today(), "topic": "合同风险防范讲座", "chamber": tree.chamber_a.pk, "lawyer": users.lawyer.pk,
        "attendees": 30, "enterprise_codes": [tree.ent_a.credit_code]})  # fmt: skip


def _round(tree, users):
    from qinqing.legal import actions
    from qinqing.legal.models import CheckupRound

    found = CheckupRound.objects.filter(fic=tree.county_a).first()
    return found or actions.plan_round(actor=users.county_staff, title="县A体检批次", enterprises=[tree.ent_a])


def _current() -> int:
    from qinqing.legal.models import QuestionnaireVersion

    return QuestionnaireVersion.objects.get(is_current=True).pk


def _pk(make):
    return lambda tree, users: {"pk": make(tree, users).pk}


# Pages that answer GET (the POST-only steps answer 405 to any GET before looking the object up).
SAMPLES = [
    Sample("legal:checkup_detail", _pk(_checkup)),
    Sample("legal:checkup_selfcheck", _pk(_checkup)),
    Sample("legal:checkup_visit", _pk(_checkup)),
    Sample("legal:checkup_report", _pk(_checkup)),
    Sample("legal:report_pdf", _pk(_checkup)),
    Sample("legal:report_docx", _pk(_checkup)),
    Sample("legal:risk_edit", _pk(_risk)),
    Sample("legal:round_detail", _pk(_round)),
    Sample("legal:link_detail", _pk(_link)),
    Sample("legal:link_edit", _pk(_link)),
    Sample("legal:talk_detail", _pk(_talk)),
    # The questionnaire is shared reference data: every role that reads check-ups reads the published versions.
    Sample("legal:version_detail", lambda tree, users: {"pk": _current()}, isolated=False),
    Sample("legal:figure_records", lambda tree, users: {"key": "legal.visits"}, isolated=False),
]

COUNTY_A_OBJECTS = {
    "legal.Checkup": lambda tree, users: [_checkup(tree, users)],
    "legal.RiskPoint": lambda tree, users: [_risk(tree, users)],
    "legal.FirmLink": lambda tree, users: [_link(tree, users)],
    "legal.LegalTalk": lambda tree, users: [_talk(tree, users)],
    "legal.CheckupRound": lambda tree, users: [_round(tree, users)],
}

SCOPE = {
    "legal.QuestionnaireVersion": None,  # the shared questionnaire
    "legal.Area": None,
    "legal.Question": None,
    "legal.CheckupAnswer": "checkup__org_path",
    "legal.RiskPoint": "checkup__org_path",
    "legal.FollowUpCall": "checkup__org_path",
}
