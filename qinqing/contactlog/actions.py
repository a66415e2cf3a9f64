"""The only writers of 亲清日志 data: log or correct a contact, add a matter, turn a matter into an appeal, record
a reviewer's conclusion, maintain the negative list. Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state or the actor's role does not allow raises ContactLogError (core Refused, 409). Nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused
from qinqing.core.roles import Role

from . import rules
from .choices import Conclusion, Organiser, Payer, Purpose, ReviewStatus, Vehicle, Venue
from .models import ConductItem, ContactEntry, Gift, Matter
from .permissions import OFFICIALS

MONEY_MAX = Decimal("10000000")
EARLIEST = dt.date(2000, 1, 1)
MAX_ROWS = 20
ENTRY_FIELDS = ("date", "place", "venue", "purpose", "purpose_text", "organiser", "organiser_name", "officials",
                "entrepreneurs", "had_meal", "meal_standard", "meal_paid_by", "vehicle", "costs_paid_by",
                "enterprise_celebration", "involves_bidding", "note")  # fmt: skip


class ContactLogError(Refused):
    """A 亲清日志 step the current state or the actor's role does not allow (Chinese message)."""


def today() -> dt.date:
    return timezone.localdate()


# --- whom an official may name --------------------------------------------------------------------


def home_fic_path(org) -> str:
    """The FIC node an official works under: their own for FIC staff, the parent FIC for a department."""
    while org is not None and org.kind != "fic":
        org = org.parent
    return org.path if org is not None else ""


def candidate_enterprises(user):
    """Registry enterprises an official may name as participants: those under their FIC node."""
    from qinqing.registry.models import Enterprise

    path = home_fic_path(getattr(user, "org", None))
    return Enterprise.objects.filter(org_path__startswith=path) if path else Enterprise.objects.none()


def candidate_departments(user):
    from qinqing.orgs.models import Organization

    path = home_fic_path(getattr(user, "org", None))
    if not path:
        return Organization.objects.none()
    return Organization.objects.filter(kind="department", is_active=True, path__startswith=path).order_by("path")


# --- validation -----------------------------------------------------------------------------------


def _text(data: dict, name: str, label: str, limit: int, *, required: bool = False) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        raise ValidationError({name: _("请填写%(label)s") % {"label": label}})
    if len(value) > limit:
        raise ValidationError({name: _("%(label)s最多%(limit)s字") % {"label": label, "limit": limit}})
    return value


def _choice(data: dict, name: str, label: str, choices, *, required: bool = True, default: str = "") -> str:
    value = data.get(name) or default
    if not value and not required:
        return ""
    if value not in choices.values:
        raise ValidationError({name: _("请选择%(label)s") % {"label": label}})
    return value


def _money(value, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}})
    if number < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    if number > MONEY_MAX:
        raise ValidationError({field: _("%(label)s不能超过 %(max)s 元") % {"label": label, "max": MONEY_MAX}})
    return number


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


def _date(value, field: str, label: str) -> dt.date:
    if value in (None, ""):
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: _("%(label)s格式应为 YYYY-MM-DD") % {"label": label}}) from None
    if value > today():
        raise ValidationError({field: _("%(label)s不能晚于今天（%(today)s）") % {"label": label, "today": today()}})
    if value < EARLIEST:
        raise ValidationError({field: _("%(label)s不能早于 %(day)s") % {"label": label, "day": EARLIEST}})
    return value


def _enterprises(actor, items) -> list:
    ids = [getattr(e, "pk", e) for e in (items or [])]
    found = list(candidate_enterprises(actor).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"enterprises": _("参加企业中有不存在或不在本单位服务范围内的企业")})
    return found


def clean_gifts(rows) -> list[dict]:
    rows = list(rows or [])
    if len(rows) > MAX_ROWS:
        raise ValidationError({"gifts": _("礼品礼金最多登记%(n)s项") % {"n": MAX_ROWS}})
    out = []
    for i, row in enumerate(rows, start=1):
        description = str(row.get("description") or "").strip()
        if not description:
            raise ValidationError({"gifts": _("第%(row)s项礼品：请填写礼品名称") % {"row": i}})
        label = _("第%(row)s项礼品的价值（元）") % {"row": i}
        try:
            value = _money(row.get("value"), "gifts", label)
        except ValidationError as exc:
            raise ValidationError({"gifts": exc.message_dict["gifts"]}) from None
        out.append({
            "description": description[:100], "value": value, "returned": _bool(row.get("returned")),
            "handling": str(row.get("handling") or "").strip()[:200],
        })  # fmt: skip
    return out


def clean_matters(actor, rows, enterprises: list) -> list[dict]:
    rows = list(rows or [])
    if len(rows) > MAX_ROWS:
        raise ValidationError({"matters": _("反映事项最多登记%(n)s项") % {"n": MAX_ROWS}})
    allowed = {e.pk: e for e in enterprises}
    departments = {d.pk: d for d in candidate_departments(actor)}
    out = []
    for i, row in enumerate(rows, start=1):
        text = str(row.get("text") or "").strip()
        if not text:
            raise ValidationError({"matters": _("第%(row)s项反映事项：请填写内容") % {"row": i}})
        if len(text) > 500:
            raise ValidationError({"matters": _("第%(row)s项反映事项最多500字") % {"row": i}})
        enterprise = row.get("enterprise")
        enterprise_id = getattr(enterprise, "pk", enterprise)
        if enterprise_id not in (None, "") and enterprise_id not in allowed:
            raise ValidationError({"matters": _("第%(row)s项反映事项：反映企业须是参加企业之一") % {"row": i}})
        department = row.get("department")
        department_id = getattr(department, "pk", department)
        if department_id not in (None, "") and department_id not in departments:
            raise ValidationError({"matters": _("第%(row)s项反映事项：建议承办单位不存在或不在本地") % {"row": i}})
        out.append({
            "text": text, "enterprise": allowed.get(enterprise_id), "department": departments.get(department_id),
        })  # fmt: skip
    return out


def clean_entry(actor, data: dict) -> dict:
    """The entry's own fields, validated; gifts and participating enterprises included."""
    out = {
        "date": _date(data.get("date"), "date", _("日期")),
        "place": _text(data, "place", _("地点"), 200, required=True),
        "venue": _choice(data, "venue", _("场所类型"), Venue),
        "purpose": _choice(data, "purpose", _("事由"), Purpose),
        "purpose_text": _text(data, "purpose_text", _("事由说明"), 300),
        "organiser": _choice(data, "organiser", _("组织方"), Organiser),
        "organiser_name": _text(data, "organiser_name", _("组织方名称"), 100),
        "officials": _text(data, "officials", _("参加公职人员"), 300),
        "entrepreneurs": _text(data, "entrepreneurs", _("参加企业家"), 300),
        "had_meal": _bool(data.get("had_meal")),
        "vehicle": _choice(data, "vehicle", _("交通工具"), Vehicle),
        "costs_paid_by": _choice(data, "costs_paid_by", _("费用承担方"), Payer, default=Payer.NONE),
        "enterprise_celebration": _bool(data.get("enterprise_celebration")),
        "involves_bidding": _bool(data.get("involves_bidding")),
        "note": _text(data, "note", _("备注"), 2000),
        "meal_standard": None,
        "meal_paid_by": "",
    }
    if out["organiser"] != Organiser.OWN_UNIT and not out["organiser_name"]:
        raise ValidationError({"organiser_name": _("组织方不是本单位时，请填写组织方名称")})
    if out["had_meal"]:
        out["meal_standard"] = _money(data.get("meal_standard"), "meal_standard", _("用餐标准（元/人）"))
        out["meal_paid_by"] = _choice(data, "meal_paid_by", _("用餐支付方"), Payer)
        if out["meal_paid_by"] == Payer.NONE:
            raise ValidationError({"meal_paid_by": _("用餐时请选择实际支付方")})
    out["enterprises"] = _enterprises(actor, data.get("enterprises"))
    if not out["enterprises"] and not out["entrepreneurs"]:
        raise ValidationError({"enterprises": _("请至少填写一家参加企业或一位参加企业家")})
    out["gifts"] = clean_gifts(data.get("gifts"))
    return out


# --- flagging -------------------------------------------------------------------------------------


def active_rules() -> list[rules.ItemRule]:
    items = ConductItem.objects.filter(is_active=True).exclude(rule="").order_by("order", "id")
    return [rules.ItemRule(i.code, i.name, i.rule, i.threshold) for i in items]


def facts_of(values: dict, gifts: list[dict]) -> rules.ContactFacts:
    return rules.ContactFacts(
        had_meal=values["had_meal"],
        meal_standard=values["meal_standard"],
        meal_paid_by=values["meal_paid_by"],
        vehicle=values["vehicle"],
        venue=values["venue"],
        costs_paid_by=values["costs_paid_by"],
        enterprise_celebration=values["enterprise_celebration"],
        involves_bidding=values["involves_bidding"],
        gifts=tuple(rules.GiftFact(g["description"], g["value"], g["returned"]) for g in gifts),
    )


def _apply_flags(entry: ContactEntry, values: dict, gifts: list[dict]) -> None:
    found = rules.flags(facts_of(values, gifts), active_rules())
    entry.flags = [f.as_dict() for f in found]
    entry.is_flagged = bool(found)
    entry.review_status = ReviewStatus.PENDING if found else ReviewStatus.NONE


# --- the official's verbs -------------------------------------------------------------------------


def _check_official(actor) -> None:
    if getattr(actor, "role", None) not in OFFICIALS or getattr(actor, "org", None) is None:
        raise ContactLogError(_("只有工商联或承办单位的公职人员可以记录亲清日志"))


@transaction.atomic
def save_entry(*, actor, data: dict, entry: ContactEntry | None = None) -> ContactEntry:
    """Log a contact (entry None) or correct one's own entry before it is reviewed; flags are recomputed."""
    _check_official(actor)
    if entry is not None:
        entry = ContactEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.logged_by_id != actor.pk:
            raise ContactLogError(_("只能修改本人记录的亲清日志"))
        if entry.review_status == ReviewStatus.CONCLUDED:
            raise ContactLogError(_("该亲清日志已有审查结论，不能再修改"))
    clean = clean_entry(actor, data)
    matters = clean_matters(actor, data.get("matters"), clean["enterprises"]) if entry is None else []
    enterprises, gifts = clean.pop("enterprises"), clean.pop("gifts")
    before = audit.snapshot(entry, ENTRY_FIELDS) if entry is not None else None
    if entry is None:
        entry = ContactEntry(logged_by=actor, org=actor.org, org_path=actor.org.path)
    for name in ENTRY_FIELDS:
        setattr(entry, name, clean[name])
    _apply_flags(entry, clean, gifts)
    entry.save()
    entry.enterprises.set(enterprises)
    entry.gifts.all().delete()
    Gift.objects.bulk_create([Gift(entry=entry, **g) for g in gifts])
    Matter.objects.bulk_create([Matter(entry=entry, **m) for m in matters])
    after = {**audit.snapshot(entry, ENTRY_FIELDS), "enterprises": [e.pk for e in enterprises],
             "gifts": gifts, "flags": [f["code"] for f in entry.flags]}  # fmt: skip
    if before is None:
        audit.record("contactlog.log_contact", obj=entry, actor=actor, after={**after, "matters": len(matters)})
    else:
        changed_before, _changed = audit.diff(before, after)
        audit.record("contactlog.update_contact", obj=entry, actor=actor, before=changed_before, after=after)
    return entry


@transaction.atomic
def add_matter(entry: ContactEntry, *, actor, data: dict) -> Matter:
    """Record one more matter raised at the contact (the logging official)."""
    _check_official(actor)
    if entry.logged_by_id != actor.pk:
        raise ContactLogError(_("只能为本人记录的亲清日志补充反映事项"))
    (clean,) = clean_matters(actor, [data], list(entry.enterprises.all())) or [None]
    matter = Matter.objects.create(entry=entry, **clean)
    audit.record("contactlog.add_matter", obj=matter, actor=actor, after={"entry": entry.pk, "text": matter.text})
    return matter


@transaction.atomic
def matter_to_appeal(matter: Matter, *, actor):
    """Turn a matter into an appeal in one step, linked back to the matter. Logged by FIC staff: registered and
    accepted for the enterprise (and assigned to the suggested department, if any). Logged by a leader or a
    department liaison: registered (channel 走访) into the FIC's intake queue, where staff accept and assign it
    as any other appeal (only staff accept appeals)."""
    from qinqing.appeals import actions as appeal_actions
    from qinqing.appeals.models import AppealDomain, AppealType

    matter = Matter.objects.select_for_update().get(pk=matter.pk)  # no outer joins under FOR UPDATE (PostgreSQL)
    if matter.appeal_id:
        raise ContactLogError(_("该事项已转为诉求"))
    if matter.entry.logged_by_id != actor.pk or actor.role not in OFFICIALS:
        raise ContactLogError(_("只有记录该日志的公职人员本人可以将事项转为诉求"))
    if matter.enterprise is None:
        raise ValidationError({"enterprise": _("请先指定反映企业，才能转为诉求")})
    entry = matter.entry
    appeal = appeal_actions.register_appeal(
        actor=actor,
        enterprise=matter.enterprise,
        appeal_type=AppealType.objects.filter(code="report").first() or AppealType.objects.first(),
        domain=AppealDomain.objects.filter(code="other").first() or AppealDomain.objects.first(),
        title=(_("政企接触反映：%(text)s") % {"text": matter.text})[:100],
        description=_("%(date)s %(purpose)s（%(place)s）中企业反映：%(text)s")
        % {"date": entry.date, "purpose": entry.get_purpose_display(), "place": entry.place, "text": matter.text},
        channel="visit",
    )
    if actor.role == Role.FIC_STAFF:
        appeal = appeal_actions.accept_appeal(appeal, actor=actor)
        if matter.department is not None:
            appeal = appeal_actions.assign_appeal(appeal, actor=actor, lead_department=matter.department)
    matter.appeal, matter.appealed_on = appeal, today()
    matter.save(update_fields=["appeal", "appealed_on", "updated_at"])
    audit.record("contactlog.matter_to_appeal", obj=matter, actor=actor,
                 after={"appeal": appeal.pk, "number": appeal.number, "status": appeal.status})  # fmt: skip
    return appeal


# --- the reviewer's verb --------------------------------------------------------------------------


@transaction.atomic
def conclude_review(entry: ContactEntry, *, actor, conclusion: str, text: str) -> ContactEntry:
    """The 纪检监督 reviewer records a conclusion on a flagged entry (with the reasons in text)."""
    entry = ContactEntry.objects.select_for_update().get(pk=entry.pk)
    if actor.role != Role.DISCIPLINE_REVIEWER or not entry.org_path.startswith(getattr(actor.org, "path", "") or "//"):
        raise ContactLogError(_("只有本级及上级纪检监督人员可以审查该日志"))
    if entry.review_status != ReviewStatus.PENDING:
        raise ContactLogError(_("该日志不在待审查状态"))
    if conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": _("请选择审查结论")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"conclusion_text": _("请填写审查意见")})
    if len(text) > 2000:
        raise ValidationError({"conclusion_text": _("审查意见最多2000字")})
    entry.review_status, entry.conclusion, entry.conclusion_text = ReviewStatus.CONCLUDED, conclusion, text
    entry.reviewed_by, entry.reviewed_on = actor, today()
    entry.save(update_fields=["review_status", "conclusion", "conclusion_text", "reviewed_by", "reviewed_on",
                              "updated_at"])  # fmt: skip
    audit.record("contactlog.conclude_review", obj=entry, actor=actor, before={"review_status": "pending"},
                 after={"conclusion": conclusion, "text": text})  # fmt: skip
    return entry


# --- the negative list ----------------------------------------------------------------------------


@transaction.atomic
def save_conduct_item(*, actor, data: dict, item: ConductItem | None = None) -> ConductItem:
    """Add or change a negative-list item. Entries already saved keep the flags they were given."""
    if actor.role != Role.DISCIPLINE_REVIEWER:
        raise ContactLogError(_("只有纪检监督人员可以维护负面清单"))
    code = str(data.get("code") or "").strip()
    if item is None:
        import re

        if not re.fullmatch(r"[a-z0-9_-]{2,40}", code):
            raise ValidationError({"code": _("编码应为2至40位小写字母、数字、下划线或连字符")})
        if ConductItem.objects.filter(code=code).exists():
            raise ValidationError({"code": _("编码“%(code)s”已存在") % {"code": code}})
    name = _text(data, "name", _("名称"), 50, required=True)
    rule = str(data.get("rule") or "")
    if rule and rule not in rules.RULES:
        raise ValidationError({"rule": _("请选择自动标记规则")})
    threshold = _money(data.get("threshold"), "threshold", _("门槛（元）"), required=rule == "meal_over_standard")
    try:
        order = int(data.get("order") or 0)
    except (TypeError, ValueError):
        raise ValidationError({"order": _("排序应为整数")}) from None
    if not 0 <= order <= 32767:
        raise ValidationError({"order": _("排序应在 0 至 32767 之间")})
    fields = {"name": name, "description": _text(data, "description", _("说明"), 500), "rule": rule,
              "threshold": threshold, "order": order, "is_active": _bool(data.get("is_active", True))}  # fmt: skip
    before = audit.snapshot(item, fields) if item is not None else None
    if item is None:
        item = ConductItem(code=code)
    for name_, value in fields.items():
        setattr(item, name_, value)
    item.save()
    audit.record("contactlog.save_conduct", obj=item, actor=actor, before=before, after=audit.snapshot(item, fields))
    return item
