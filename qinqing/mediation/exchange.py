"""Exchange with the courts' mediation platforms: referred cases and their outcomes, exported and imported in
one documented, versioned format (docs/mediation-exchange.md), as JSON or .xlsx.

One field list (CASE_FIELDS, PARTY_FIELDS, EXTENSION_FIELDS) defines both encodings: JSON carries the codes,
the workbook carries Chinese headers and labels and is read back through the same list. An import validates
every record first and writes nothing when any record has an error (each error names the record and field in
Chinese); then, in one transaction, it creates the cases the system does not know and, for known ones, takes
the court's side of the story: a 司法确认 ruling, a 立案案号, a deadline extended with the court's consent.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core import audit
from qinqing.core.cellsafety import unquote, workbook

from . import rules
from .actions import common
from .actions.cases import CASE_FIELDS as AUDIT_FIELDS
from .actions.cases import clean_case, clean_parties, next_number
from .choices import COURT_SOURCES, CaseType, Confirmation, FailedNext, PartyKind, PartyRole, Source, Status
from .models import Case, Extension, MediationBody, Party, RosterEntry

FORMAT = "qinqing.mediation.exchange"
VERSION = "1.0"
SUPPORTED = ("1.0",)
MAX_RECORDS = 5000


@dataclass(frozen=True)
class F:
    key: str
    header: object
    kind: str = "text"  # text | date | amount | bool | choice
    choices: object = None
    required: bool = False


CASE_FIELDS = (
    F("court_name", gettext_lazy("法院"), required=True),
    F("court_case_number", gettext_lazy("法院案号"), required=True),
    F("source", gettext_lazy("案件来源"), "choice", Source, required=True),
    F("case_type", gettext_lazy("纠纷类型"), "choice", CaseType, required=True),
    F("referred_on", gettext_lazy("委派/委托日期"), "date", required=True),
    F("deadline", gettext_lazy("调解期限"), "date"),
    F("amount", gettext_lazy("争议金额（万元）"), "amount"),
    F("summary", gettext_lazy("纠纷概要及请求")),
    F("number", gettext_lazy("调解案件编号")),
    F("received_on", gettext_lazy("受理日期"), "date"),
    F("mediator", gettext_lazy("调解员")),
    F("status", gettext_lazy("状态"), "choice", Status),
    F("closed_on", gettext_lazy("结案日期"), "date"),
    F("agreement_text", gettext_lazy("调解协议内容")),
    F("settled_amount", gettext_lazy("协议金额（万元）"), "amount"),
    F("outcome_note", gettext_lazy("结案说明")),
    F("confirmation", gettext_lazy("司法确认"), "choice", Confirmation),
    F("confirmation_court", gettext_lazy("司法确认法院")),
    F("confirmation_requested_on", gettext_lazy("申请司法确认日期"), "date"),
    F("confirmation_on", gettext_lazy("司法确认裁定日期"), "date"),
    F("confirmation_number", gettext_lazy("司法确认裁定书文号")),
    F("failed_next", gettext_lazy("调解不成后续"), "choice", FailedNext),
    F("lawsuit_case_number", gettext_lazy("立案案号")),
)
KEY_FIELDS = CASE_FIELDS[:2]
PARTY_FIELDS = (
    F("role", gettext_lazy("当事人地位"), "choice", PartyRole, required=True),
    F("kind", gettext_lazy("当事人类型"), "choice", PartyKind, required=True),
    F("name", gettext_lazy("姓名或名称"), required=True),
    F("id_number", gettext_lazy("身份证号或统一社会信用代码")),
    F("phone", gettext_lazy("联系电话")),
    F("address", gettext_lazy("地址")),
    F("is_member", gettext_lazy("商会会员"), "bool"),
    F("credit_code", gettext_lazy("关联企业信用代码")),
)
EXTENSION_FIELDS = (
    F("old_deadline", gettext_lazy("原调解期限"), "date", required=True),
    F("new_deadline", gettext_lazy("延长后期限"), "date", required=True),
    F("consent_on", gettext_lazy("法院同意日期"), "date", required=True),
    F("consent_ref", gettext_lazy("法院同意依据"), required=True),
)
SHEETS = {"cases": gettext_lazy("案件"), "parties": gettext_lazy("当事人"), "extensions": gettext_lazy("延期")}


class UnreadableFile(Exception):
    """The file is not an exchange file this version can read (Chinese message)."""


# --- export ---------------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def case_record(case: Case) -> dict:
    rec = {f.key: _plain(getattr(case, f.key)) for f in CASE_FIELDS if f.key != "mediator"}
    rec["mediator"] = case.mediator.name if case.mediator_id else ""
    rec["parties"] = [
        {"role": p.role, "kind": p.kind, "name": p.name, "id_number": p.id_number, "phone": p.phone,
         "address": p.address, "is_member": p.is_member,
         "credit_code": p.enterprise.credit_code if p.enterprise_id else ""}
        for p in case.parties.all()
    ]  # fmt: skip
    rec["extensions"] = [
        {"old_deadline": _plain(e.old_deadline), "new_deadline": _plain(e.new_deadline),
         "consent_on": _plain(e.consent_on), "consent_ref": e.consent_ref}
        for e in case.extensions.all()
    ]  # fmt: skip
    return rec


def exportable(qs):
    """Court-referred cases only: the others are no court's business."""
    return (
        qs.filter(source__in=COURT_SOURCES)
        .select_related("body", "mediator")
        .prefetch_related("parties__enterprise", "extensions")
        .order_by("received_on", "pk")
    )


def export_document(qs) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "cases": [case_record(c) for c in exportable(qs)],
    }


def export_json(qs) -> bytes:
    return json.dumps(export_document(qs), ensure_ascii=False, indent=2).encode("utf-8")


def _cell(f: F, value):
    if value in (None, ""):
        return ""
    if f.kind == "choice":
        return str(f.choices(value).label) if value in f.choices.values else value
    if f.kind == "bool":
        return _("是") if value else _("否")
    return value


def export_xlsx(qs) -> bytes:
    doc = export_document(qs)
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    info = book.add_worksheet(_("说明"))
    for i, (k, v) in enumerate([("format", FORMAT), ("version", VERSION), ("exported_at", doc["exported_at"])]):
        info.write_row(i, 0, [k, v])
    keys = [str(f.header) for f in KEY_FIELDS]
    sheets = {name: book.add_worksheet(str(title)) for name, title in SHEETS.items()}
    sheets["cases"].write_row(0, 0, [str(f.header) for f in CASE_FIELDS], bold)
    sheets["parties"].write_row(0, 0, keys + [str(f.header) for f in PARTY_FIELDS], bold)
    sheets["extensions"].write_row(0, 0, keys + [str(f.header) for f in EXTENSION_FIELDS], bold)
    rows = {"cases": 1, "parties": 1, "extensions": 1}
    for rec in doc["cases"]:
        key = [rec["court_name"], rec["court_case_number"]]
        sheets["cases"].write_row(rows["cases"], 0, [_cell(f, rec[f.key]) for f in CASE_FIELDS])
        rows["cases"] += 1
        for name, fields in (("parties", PARTY_FIELDS), ("extensions", EXTENSION_FIELDS)):
            for item in rec[name]:
                sheets[name].write_row(rows[name], 0, key + [_cell(f, item[f.key]) for f in fields])
                rows[name] += 1
    for sheet in sheets.values():
        sheet.set_column(0, len(CASE_FIELDS), 18)
    book.close()
    return buffer.getvalue()


# --- reading --------------------------------------------------------------------------------------


def read_json(raw: bytes) -> list[dict]:
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise UnreadableFile(_("文件不是有效的 JSON")) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise UnreadableFile(_("文件不是商会调解交换格式（format 应为 %(f)s）") % {"f": FORMAT})
    if str(doc.get("version")) not in SUPPORTED:
        raise UnreadableFile(
            _("不支持的交换格式版本 %(v)s，本系统支持：%(s)s") % {"v": doc.get("version"), "s": "、".join(SUPPORTED)}
        )
    cases = doc.get("cases")
    if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        raise UnreadableFile(_("文件中的 cases 应为案件列表"))
    return cases


def _from_label(f: F, value: str) -> str:
    if f.kind == "choice":
        by_label = {str(label): code for code, label in f.choices.choices}
        return by_label.get(value, value)
    if f.kind == "bool":
        return {_("是"): True, _("否"): False, "": False}.get(value, value)
    return value


def _sheet_rows(book, title: str, fields: tuple[F, ...], keyed: bool) -> list[tuple[int, dict, tuple]]:
    if title not in book.sheetnames:
        raise UnreadableFile(_("工作簿缺少“%(s)s”工作表") % {"s": title})
    rows = book[title].iter_rows(values_only=True)
    head = [str(h or "").strip() for h in next(rows, ())]
    wanted = ([*KEY_FIELDS] if keyed else []) + list(fields)
    missing = [str(f.header) for f in wanted if str(f.header) not in head]
    if missing:
        raise UnreadableFile(_("“%(s)s”工作表缺少列：%(c)s") % {"s": title, "c": "、".join(missing)})
    index = {h: i for i, h in enumerate(head)}
    out = []
    for number, row in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in row):
            continue

        def value(f, row=row):
            v = row[index[str(f.header)]] if index[str(f.header)] < len(row) else None
            if isinstance(v, dt.datetime):
                return v.date().isoformat()
            if isinstance(v, dt.date):
                return v.isoformat()
            return unquote(str(v).strip()) if v is not None else ""

        key = tuple(value(f) for f in KEY_FIELDS)
        out.append((number, {f.key: _from_label(f, value(f)) for f in fields}, key))
    return out


def read_xlsx(raw: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile(_("文件不是有效的 .xlsx 工作簿")) from None
    if _("说明") in book.sheetnames:
        meta = {str(r[0]): r[1] for r in book[_("说明")].iter_rows(values_only=True) if r and r[0]}
        if meta.get("version") is not None and str(meta["version"]) not in SUPPORTED:
            raise UnreadableFile(_("不支持的交换格式版本 %(v)s") % {"v": meta["version"]})
    cases = []
    by_key: dict[tuple, dict] = {}
    for number, rec, key in _sheet_rows(book, str(SHEETS["cases"]), CASE_FIELDS, keyed=False):
        rec.update(parties=[], extensions=[], _row=_("“案件”表第%(n)s行") % {"n": number})
        cases.append(rec)
        by_key.setdefault(key, rec)
    for name in ("parties", "extensions"):
        fields = PARTY_FIELDS if name == "parties" else EXTENSION_FIELDS
        for number, item, key in _sheet_rows(book, str(SHEETS[name]), fields, keyed=True):
            owner = by_key.get(key)
            if owner is None:
                owner = {"_orphan": _("“%(s)s”表第%(n)s行的法院案号 %(k)s 不在“案件”表中")
                         % {"s": SHEETS[name], "n": number, "k": key[1]}}  # fmt: skip
                cases.append(owner)
                continue
            owner[name].append(item)
    return cases


def read_file(name: str, raw: bytes) -> list[dict]:
    lower = (name or "").lower()
    if lower.endswith(".json"):
        return read_json(raw)
    if lower.endswith(".xlsx"):
        return read_xlsx(raw)
    raise UnreadableFile(_("请上传 .json 或 .xlsx 格式的交换文件"))


# --- import ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _typed(f: F, value, where: str):
    if value in (None, ""):
        if f.required:
            raise ValidationError(_("%(w)s：缺少“%(h)s”") % {"w": where, "h": f.header})
        return None if f.kind in ("date", "amount") else ("" if f.kind != "bool" else False)
    try:
        if f.kind == "date":
            return common.parse_date(value, f.key, str(f.header))
        if f.kind == "amount":
            return common.parse_amount(value, f.key, str(f.header))
    except ValidationError as exc:
        raise ValidationError(_("%(w)s：%(m)s") % {"w": where, "m": "；".join(exc.messages)}) from None
    if f.kind == "bool":
        if not isinstance(value, bool):
            raise ValidationError(_("%(w)s：“%(h)s”应为 是 或 否") % {"w": where, "h": f.header})
        return value
    value = str(value).strip()
    if f.kind == "choice" and value not in f.choices.values:
        raise ValidationError(_("%(w)s：“%(h)s”的值“%(v)s”无效") % {"w": where, "h": f.header, "v": value[:40]})
    return value


@dataclass
class _Plan:
    rec: dict
    case: Case | None
    parties: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    mediator: object = None


def _clean_record(raw: dict, index: int, body: MediationBody, roster: dict, visible_ids: set) -> _Plan:
    if "_orphan" in raw:
        raise ValidationError(raw["_orphan"])
    key = f"{raw.get('court_name', '')} {raw.get('court_case_number', '')}".strip()
    where = raw.get("_row") or _("第%(n)s个案件") % {"n": index}
    where = f"{where}（{key}）" if key else where
    rec = {f.key: _typed(f, raw.get(f.key), where) for f in CASE_FIELDS}
    if rec["source"] not in COURT_SOURCES:
        raise ValidationError(_("%(w)s：交换文件只接收法院委派或委托的案件") % {"w": where})
    rec["status"] = rec["status"] or Status.OPEN
    rec["received_on"] = rec["received_on"] or rec["referred_on"]
    plan = _Plan(rec=rec, case=None)
    try:
        cleaned = clean_case({**rec, "amount": rec["amount"] if rec["amount"] is not None else ""})
        rules.check_record({**rec, "received_on": cleaned["received_on"]}, today=common.today())
    except ValidationError as exc:
        raise ValidationError(_("%(w)s：%(m)s") % {"w": where, "m": "；".join(exc.messages)}) from None
    except rules.RuleError as exc:
        raise ValidationError(_("%(w)s：%(m)s") % {"w": where, "m": exc.message}) from None
    rec.update(cleaned)
    if rec["mediator"]:
        plan.mediator = roster.get(rec["mediator"])
        if plan.mediator is None:
            raise ValidationError(_("%(w)s：调解员“%(m)s”不在本调解组织的名册中") % {"w": where, "m": rec["mediator"]})
    parties = [{f.key: _typed(f, p.get(f.key) if isinstance(p, dict) else None, where) for f in PARTY_FIELDS}
               for p in raw.get("parties") or []]  # fmt: skip
    extensions = [{f.key: _typed(f, e.get(f.key) if isinstance(e, dict) else None, where) for f in EXTENSION_FIELDS}
                  for e in raw.get("extensions") or []]  # fmt: skip
    try:
        plan.parties = clean_parties(parties)
    except ValidationError as exc:
        raise ValidationError(_("%(w)s：%(m)s") % {"w": where, "m": "；".join(exc.messages)}) from None
    previous = rec["referred_on"]
    for ext in extensions:
        if ext["new_deadline"] <= ext["old_deadline"] or ext["old_deadline"] < previous:
            raise ValidationError(_("%(w)s：延期记录的期限应逐次延后") % {"w": where})
        previous = ext["new_deadline"]
    if extensions and extensions[-1]["new_deadline"] != rec["deadline"]:
        raise ValidationError(_("%(w)s：调解期限应等于最后一次延期后的期限") % {"w": where})
    plan.extensions = extensions
    existing = Case.objects.filter(court_name=rec["court_name"], court_case_number=rec["court_case_number"]).first()
    if existing is not None:
        if existing.pk not in visible_ids:
            raise ValidationError(_("%(w)s：该法院案号已由其他调解组织登记") % {"w": where})
        plan.case = existing
        plan.changes = _court_changes(existing, rec, where)
    return plan


def _court_changes(case: Case, rec: dict, where: str) -> dict:
    """What the court's side of a known case adds; anything else that differs is an error."""
    changes = {}
    if rec["status"] != case.status:
        raise ValidationError(
            _("%(w)s：状态“%(a)s”与本系统记录的“%(b)s”不一致，调解结果以调解组织登记为准")
            % {"w": where, "a": Status(rec["status"]).label, "b": case.get_status_display()}
        )
    if rec["deadline"] != case.deadline:
        if rec["deadline"] < case.deadline:
            raise ValidationError(_("%(w)s：调解期限早于本系统记录的 %(d)s") % {"w": where, "d": case.deadline})
        changes["deadline"] = rec["deadline"]
    if case.confirmation == Confirmation.REQUESTED and rec["confirmation"] in (
        Confirmation.CONFIRMED,
        Confirmation.REJECTED,
    ):
        changes.update(confirmation=rec["confirmation"], confirmation_on=rec["confirmation_on"],
                       confirmation_number=rec["confirmation_number"])  # fmt: skip
    elif (rec["confirmation"] or "") != (case.confirmation or ""):
        raise ValidationError(_("%(w)s：司法确认状态与本系统记录不一致") % {"w": where})
    if rec["lawsuit_case_number"] != case.lawsuit_case_number:
        if case.lawsuit_case_number:
            message = _("%(w)s：立案案号与本系统记录的 %(n)s 不一致") % {"w": where, "n": case.lawsuit_case_number}
            raise ValidationError(message)
        changes.update(lawsuit_case_number=rec["lawsuit_case_number"], failed_next=FailedNext.LITIGATION)
    return changes


def import_records(records: list[dict], *, body: MediationBody, actor, visible_cases) -> ImportResult:
    """Validate every record, then (only when all are valid) write them in one transaction."""
    result = ImportResult(rows=len(records))
    if len(records) > MAX_RECORDS:
        result.errors.append(_("一次最多导入 %(n)s 个案件") % {"n": MAX_RECORDS})
        return result
    roster = {e.user.name: e.user for e in RosterEntry.objects.filter(body=body, is_active=True).select_related("user")}
    keys = [(r.get("court_name"), r.get("court_case_number")) for r in records if isinstance(r, dict)]
    visible_ids = set(visible_cases.filter(court_case_number__in=[k[1] for k in keys]).values_list("pk", flat=True))
    plans, seen = [], set()
    for index, raw in enumerate(records, start=1):
        try:
            plan = _clean_record(raw, index, body, roster, visible_ids)
        except ValidationError as exc:
            result.errors.extend(exc.messages)
            continue
        key = (plan.rec["court_name"], plan.rec["court_case_number"])
        if key in seen:
            result.errors.append(_("第%(n)s个案件：法院案号 %(k)s 在文件中重复") % {"n": index, "k": key[1]})
        seen.add(key)
        plans.append(plan)
    if result.errors:
        return result
    with transaction.atomic():
        for plan in plans:
            if plan.case is None:
                _create(plan, body=body, actor=actor)
                result.created += 1
            elif plan.changes:
                _update(plan, actor=actor)
                result.updated += 1
            else:
                result.unchanged += 1
        audit.record("mediation.import_exchange", obj=body, actor=actor,
                     after={"rows": result.rows, "created": result.created, "updated": result.updated})  # fmt: skip
    return result


def _create(plan: _Plan, *, body: MediationBody, actor) -> Case:
    rec = plan.rec
    values = {f.key: rec[f.key] for f in CASE_FIELDS if f.key not in ("mediator", "number")}
    values["confirmation"] = values["confirmation"] or ""
    values["failed_next"] = values["failed_next"] or ""
    values.update(received_on=rec["received_on"], referred_by="")
    if rec["closed_on"]:
        values["duration_days"] = rules.days_taken(rec["received_on"], rec["closed_on"])
    case = Case.objects.create(number=next_number(rec["received_on"].year), body=body, org_path=body.org_path,
                               mediator=plan.mediator, created_by=actor if getattr(actor, "pk", None) else None,
                               **values)  # fmt: skip
    Party.objects.bulk_create([Party(case=case, **p) for p in plan.parties])
    Extension.objects.bulk_create([Extension(case=case, **e) for e in plan.extensions])
    audit.record("mediation.import_case", obj=case, actor=actor, after={**audit.snapshot(case, AUDIT_FIELDS),
                 "status": case.status, "parties": len(plan.parties)})  # fmt: skip
    return case


def _update(plan: _Plan, *, actor) -> Case:
    case = plan.case
    before = {k: getattr(case, k) for k in plan.changes}
    if "deadline" in plan.changes:
        for ext in plan.extensions:
            if ext["new_deadline"] > case.deadline:
                Extension.objects.create(case=case, **ext)
    for key, value in plan.changes.items():
        setattr(case, key, value)
    case.save(update_fields=[*plan.changes, "updated_at"])
    audit.record("mediation.import_update", obj=case, actor=actor, before=before, after=plan.changes)
    return case
