"""Registering a case, its parties, its mediator and the court's extensions. Atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from .. import rules
from ..choices import COURT_SOURCES, CaseType, PartyKind, PartyRole, Source
from ..models import Case, Extension, MediationBody, Party, RosterEntry
from .common import (
    choice,
    court_days,
    notify_users,
    other_days,
    parse_amount,
    parse_date,
    raise_rule,
    text,
    today,
)

CASE_FIELDS = ("source", "case_type", "summary", "amount", "received_on", "court_name", "court_case_number",
               "referred_on", "referred_by", "deadline", "mediator_id")  # fmt: skip
PARTY_FIELDS = ("role", "kind", "is_member", "enterprise_id")  # sealed values stay out of the audit log


def clean_case(data: dict) -> dict:
    """The case's own fields, typed and checked together (rules.check_registration)."""
    source = choice(data, "source", Source, _("案件来源"))
    values = {
        "source": source,
        "case_type": choice(data, "case_type", CaseType, _("纠纷类型")),
        "summary": text(data, "summary", 5000),
        "amount": parse_amount(data.get("amount"), "amount", _("争议金额（万元）"), required=False) or 0,
        "received_on": parse_date(data.get("received_on"), "received_on", _("受理日期"), required=False) or today(),
        "court_name": text(data, "court_name", 100) if source in COURT_SOURCES else "",
        "court_case_number": text(data, "court_case_number", 60) if source in COURT_SOURCES else "",
        "referred_on": parse_date(data.get("referred_on"), "referred_on", _("委派/委托日期"), required=False)
        if source in COURT_SOURCES
        else None,
        "referred_by": text(data, "referred_by", 100) if source == Source.DEPARTMENT else "",
        "deadline": parse_date(data.get("deadline"), "deadline", _("调解期限"), required=False),
    }
    try:
        rules.check_registration(values, today=today())
    except rules.RuleError as exc:
        raise_rule(exc)
    if values["deadline"] is None:
        start = values["referred_on"] or values["received_on"]
        values["deadline"] = rules.default_deadline(source, start, court_days=court_days(), other_days=other_days())
    return values


def clean_parties(items) -> list[dict]:
    """At least one 申请人 and one 被申请人; each named, typed, optionally linked to a registered enterprise."""
    from qinqing.registry.models import Enterprise

    items = list(items or [])
    out = []
    codes = {str(p.get("credit_code") or "").strip().upper() for p in items} - {""}
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    for index, raw in enumerate(items, start=1):
        where = _("第%(n)s个当事人") % {"n": index}
        role = str(raw.get("role") or "")
        if role not in PartyRole.values:
            raise ValidationError({"parties": _("%(where)s：请选择当事人地位（申请人或被申请人）") % {"where": where}})
        kind = str(raw.get("kind") or "")
        if kind not in PartyKind.values:
            raise ValidationError({"parties": _("%(where)s：请选择当事人类型") % {"where": where}})
        code = str(raw.get("credit_code") or "").strip().upper()
        enterprise = raw.get("enterprise") or (enterprises.get(code) if code else None)
        if code and enterprise is None:
            raise ValidationError(
                {"parties": _("%(where)s：统一社会信用代码 %(code)s 未在企业库中登记") % {"where": where, "code": code}}
            )
        if enterprise is not None and kind != PartyKind.ORGANISATION:
            message = _("%(where)s：关联企业的当事人类型应为法人或其他组织") % {"where": where}
            raise ValidationError({"parties": message})
        name = str(raw.get("name") or "").strip()[:100] or (enterprise.name if enterprise else "")
        if not name:
            raise ValidationError({"parties": _("%(where)s：请填写姓名或名称") % {"where": where}})
        phone = str(raw.get("phone") or "").strip()[:30]
        if phone and not phone.replace("-", "").replace(" ", "").isdigit():
            raise ValidationError({"parties": _("%(where)s：联系电话只能包含数字和连字符") % {"where": where}})
        out.append({
            "role": role, "kind": kind, "name": name, "phone": phone,
            "id_number": str(raw.get("id_number") or "").strip()[:30] or (enterprise.credit_code if enterprise else ""),
            "address": str(raw.get("address") or "").strip()[:200],
            "is_member": bool(raw.get("is_member")), "enterprise": enterprise,
        })  # fmt: skip
    roles = {p["role"] for p in out}
    if PartyRole.APPLICANT not in roles:
        raise ValidationError({"parties": _("请至少填写一名申请人")})
    if PartyRole.RESPONDENT not in roles:
        raise ValidationError({"parties": _("请至少填写一名被申请人")})
    return out


def _check_mediator(body: MediationBody, mediator) -> None:
    if mediator is None:
        return
    if mediator.role != Role.MEDIATOR or not mediator.is_active:
        raise ValidationError({"mediator": _("只能指派调解员角色的在用账号")})
    if not RosterEntry.objects.filter(body=body, user=mediator, is_active=True).exists():
        raise ValidationError({"mediator": _("该调解员不在本调解组织的名册中")})


def next_number(year: int) -> str:
    prefix = f"TJ{year}"
    last = Case.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _check_registrar(body: MediationBody, actor) -> None:
    org = getattr(actor, "org", None)
    if org is None or not body.org_path.startswith(org.path):
        raise ValidationError({"body": _("调解组织不在您的管辖范围内")})
    if not body.is_active:
        raise ValidationError({"body": _("该调解组织已停用")})


@transaction.atomic
def register_case(*, actor, body: MediationBody, data: dict, parties, mediator=None) -> Case:
    """Register a case in a body: its source, type, amount, the court's referral and deadline, its parties."""
    _check_registrar(body, actor)
    values = clean_case(data)
    party_values = clean_parties(parties)
    _check_mediator(body, mediator)
    if (
        values["court_case_number"]
        and Case.objects.filter(court_name=values["court_name"], court_case_number=values["court_case_number"]).exists()
    ):
        raise ValidationError({"court_case_number": _("该法院案号已登记过")})
    case = Case.objects.create(
        number=next_number(values["received_on"].year), body=body, org_path=body.org_path, mediator=mediator,
        created_by=actor if getattr(actor, "pk", None) else None, **values,
    )  # fmt: skip
    Party.objects.bulk_create([Party(case=case, **p) for p in party_values])
    audit.record("mediation.register_case", obj=case, actor=actor,
                 after={**audit.snapshot(case, CASE_FIELDS), "parties": len(party_values)})  # fmt: skip
    if mediator is not None:
        _tell_mediator(case, mediator)
    return case


def _tell_mediator(case: Case, mediator) -> None:
    title = _("新的调解案件 %(number)s 已指派给您") % {"number": case.number}
    notify_users([mediator], title=title, key=f"mediation.assign.{case.pk}.{mediator.pk}",
                 url=f"/mediation/cases/{case.pk}/")  # fmt: skip


@transaction.atomic
def assign_mediator(case: Case, *, actor, mediator) -> Case:
    rules_open(case)
    if mediator is None:
        raise ValidationError({"mediator": _("请选择调解员")})
    _check_mediator(case.body, mediator)
    before = {"mediator_id": case.mediator_id}
    case.mediator = mediator
    case.save(update_fields=["mediator", "updated_at"])
    audit.record("mediation.assign_mediator", obj=case, actor=actor, before=before,
                 after={"mediator_id": mediator.pk})  # fmt: skip
    _tell_mediator(case, mediator)
    return case


def rules_open(case: Case) -> None:
    try:
        rules.check_open(case.status)
    except rules.RuleError as exc:
        raise_rule(exc)


@transaction.atomic
def add_party(case: Case, *, actor, data: dict) -> Party:
    rules_open(case)
    (values,) = _one_party(data)
    party = Party.objects.create(case=case, **values)
    audit.record("mediation.add_party", obj=case, actor=actor, after=audit.snapshot(party, PARTY_FIELDS))
    return party


def _one_party(data: dict) -> list[dict]:
    # Reuse the list's checks for one party, without the "both sides present" rule.
    other = PartyRole.RESPONDENT if data.get("role") == PartyRole.APPLICANT else PartyRole.APPLICANT
    filler = {"role": other, "kind": PartyKind.PERSON, "name": "-"}
    return [p for p in clean_parties([data, filler])[:1]]


@transaction.atomic
def extend_deadline(case: Case, *, actor, data: dict) -> Extension:
    """Record the court's consent to a longer mediation period (only for court-referred cases)."""
    new_deadline = parse_date(data.get("new_deadline"), "new_deadline", _("延长后期限"))
    consent_on = parse_date(data.get("consent_on"), "consent_on", _("法院同意日期"), required=False) or today()
    consent_ref = text(data, "consent_ref", 100)
    try:
        rules.check_extension(status=case.status, source=case.source, deadline=case.deadline,
                              new_deadline=new_deadline, consent_on=consent_on, referred_on=case.referred_on,
                              consent_ref=consent_ref, today=today())  # fmt: skip
    except rules.RuleError as exc:
        raise_rule(exc)
    extension = Extension.objects.create(case=case, old_deadline=case.deadline, new_deadline=new_deadline,
                                         consent_on=consent_on, consent_ref=consent_ref,
                                         recorded_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    case.deadline = new_deadline
    case.reminded_on = None
    case.save(update_fields=["deadline", "reminded_on", "updated_at"])
    audit.record("mediation.extend_deadline", obj=case, actor=actor, before={"deadline": extension.old_deadline},
                 after={"deadline": new_deadline, "consent_on": consent_on, "consent_ref": consent_ref})  # fmt: skip
    return extension
