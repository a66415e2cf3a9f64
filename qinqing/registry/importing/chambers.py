"""Chamber import: one row per chamber (商会), keyed by its 统一社会信用代码 when the row has one,
otherwise by its name within its FIC (所属工商联). A new chamber becomes an organisation node under
that FIC plus its registry record; an existing one has its record and contact details updated (never
moved to another FIC). Volumes are an FIC's chamber list (hundreds), so rows are planned one by one."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from qinqing.orgs import regions
from qinqing.orgs.actions import create_organization
from qinqing.orgs.models import Organization

from .. import actions_chambers
from ..choices import ChamberType, RegistrationStatus
from ..models import Chamber
from . import parse
from .columns import CHAMBER_COLUMNS, HeaderMap
from .members import Scope
from .reader import Table
from .report import RowChecks, RowIssue

LABELS = {c.key: c.label for c in CHAMBER_COLUMNS}
TYPE_LABELS = {str(label): code for code, label in ChamberType.choices} | {
    "行业": "industry",
    "市场": "market",
    "异地": "nonlocal",
    "乡镇商会": "township",
    "街道商会": "township",
    "乡镇、街道商会": "township",
    "其他商会组织": "other",
}
STATUS_LABELS = {str(label): code for code, label in RegistrationStatus.choices}
YES = {"是", "有", "已建立", "已设立", "y", "yes", "true", "1", "√"}
NO = {"否", "无", "未建立", "未设立", "n", "no", "false", "0", "×"}
# The record's own fields that a file carries (the linked law firm is kept on the chamber's page).
CHAMBER_FIELDS = [f for f in actions_chambers.CHAMBER_FIELDS if f != "law_firm_id"]
ORG_FIELDS = ["contact_phone", "address"]
TEXT_LIMITS = {"name": 100, "contact_phone": 30, "address": 200, "note": 2000}


@dataclass
class Validated:
    values: dict[str, list] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)  # columns the file has (others keep stored values)
    good: list[int] = field(default_factory=list)


def _boolean(values: list[str], what: str) -> parse.Parsed:
    out: list = [None] * len(values)
    errors = []
    for i, v in enumerate(values):
        if not v:
            continue
        key = v.lower()
        if key in YES:
            out[i] = True
        elif key in NO:
            out[i] = False
        else:
            errors.append((i, f"{what}请填写“是”或“否”"))
    return out, errors


def validate(table: Table, headers: HeaderMap, errors: list[RowIssue], notes: list[RowIssue]) -> Validated:
    rows = table.rows
    n = len(rows)
    raw = {key: [row[pos] if pos < len(row) else "" for row in rows] for key, pos in headers.index.items()}
    out = Validated(present=set(raw))
    for key in LABELS:
        raw.setdefault(key, [""] * n)
    checks = RowChecks(raw, LABELS, out.values, errors)
    bad, take = checks.bad, checks.take
    codes = checks.credit_codes(notes)
    for key, limit in TEXT_LIMITS.items():
        take(key, parse.text(raw[key], limit))
    take("chamber_type", parse.choice(raw["chamber_type"], TYPE_LABELS, "商会类型"))
    take("registration_status", parse.choice(raw["registration_status"], STATUS_LABELS, "登记状态"))
    take("registered_on", parse.date(raw["registered_on"]))
    take("party_members", parse.integer(raw["party_members"]))
    take("party_org_established", _boolean(raw["party_org_established"], LABELS["party_org_established"]))
    take("has_mediation_committee", _boolean(raw["has_mediation_committee"], LABELS["has_mediation_committee"]))
    out.values["fic"] = raw["fic"]
    out.values["region_code"] = raw["region_code"]
    today = datetime.date.today()
    seen_code: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    for i in range(n):
        if not any(rows[i]):
            bad.add(i)
            continue
        problem = None
        name = raw["name"][i]
        region = raw["region_code"][i]
        if not name:
            problem = ("name", "必填")
        elif region and not regions.is_current(region):
            problem = ("region_code", "不是现行的行政区划代码")
        elif out.values["registered_on"][i] and out.values["registered_on"][i] > today:
            problem = ("registered_on", "登记日期不能晚于今天")
        elif codes[i] and codes[i] in seen_code:
            problem = ("credit_code", f"与第{seen_code[codes[i]] + 2}行重复")
        elif (raw["fic"][i], name) in seen_name:
            problem = ("name", f"同一工商联下与第{seen_name[(raw['fic'][i], name)] + 2}行重名")
        if problem is None:
            seen_name[(raw["fic"][i], name)] = i
            if codes[i]:
                seen_code[codes[i]] = i
        elif i not in bad:
            checks.reject(i, *problem)
    out.good = checks.good(n)
    return out


@dataclass
class BatchPlan:
    create: list[dict] = field(default_factory=list)  # parent, name, region_code, org fields, chamber fields
    update: list[tuple[Chamber, dict, dict]] = field(default_factory=list)  # chamber, org changes, chamber changes
    written: list[str] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _defaults(values: dict) -> dict:
    """A new chamber's values: empty cells take the model's defaults."""
    return {
        **values,
        "chamber_type": values["chamber_type"],
        "registration_status": values["registration_status"] or RegistrationStatus.REGISTERED,
        "party_org_established": bool(values["party_org_established"]),
        "party_members": values["party_members"] or 0,
        "has_mediation_committee": bool(values["has_mediation_committee"]),
    }


def plan_batch(indices: list[int], data: Validated, scope: Scope, errors: list[RowIssue]) -> BatchPlan:
    v = data.values
    root = scope.root
    fic_codes = {v["fic"][i] for i in indices if v["fic"][i]}
    fics = {o.code: o for o in Organization.objects.filter(kind="fic", code__in=fic_codes, path__startswith=root.path)}
    default_fic = root if root.kind == "fic" else None
    names = {v["name"][i] for i in indices}
    codes = {v["credit_code"][i] for i in indices if v["credit_code"][i]}
    known = list(
        Chamber.objects.filter(
            Q(org_path__startswith=root.path, organization__name__in=names) | Q(credit_code__in=codes)
        ).select_related("organization")
    )
    by_code = {c.credit_code: c for c in known if c.credit_code}
    by_name = {(c.organization.parent_id, c.organization.name): c for c in known if c.org_path.startswith(root.path)}
    plan = BatchPlan()
    for i in indices:
        fic_code = v["fic"][i]
        parent = fics.get(fic_code) if fic_code else default_fic
        if parent is None:
            reason = "未找到该工商联（须为本级或下级工商联的编码）" if fic_code else "请填写所属工商联编码"
            errors.append(RowIssue(i + 2, LABELS["fic"], fic_code, reason))
            continue
        code, name = v["credit_code"][i], v["name"][i]
        old = by_code.get(code) if code else None
        if old is not None and not old.org_path.startswith(root.path):
            errors.append(RowIssue(i + 2, LABELS["credit_code"], code, "该信用代码已登记为其他工商联的商会，无权修改"))
            continue
        if old is None:
            old = by_name.get((parent.id, name))
            if old is not None and code and old.credit_code and old.credit_code != code:
                errors.append(
                    RowIssue(i + 2, LABELS["credit_code"], code, f"该工商联已有同名商会，其信用代码为{old.credit_code}")
                )
                continue
        elif fic_code and old.organization.parent_id != parent.id:
            errors.append(RowIssue(i + 2, LABELS["fic"], fic_code, "该商会属于其他工商联，导入不能移动商会"))
            continue
        values = {f: v[f][i] for f in CHAMBER_FIELDS}
        org_values = {f: v[f][i] for f in ORG_FIELDS}
        if old is None:
            if not values["chamber_type"]:
                errors.append(RowIssue(i + 2, LABELS["chamber_type"], "", "新商会必须填写商会类型"))
                continue
            region = v["region_code"][i] or parent.region_code
            plan.create.append(
                {"parent": parent, "name": name, "region_code": region, **org_values, **_defaults(values)}
            )
            plan.new += 1
            plan.written.append(name)
            continue
        # Existing chamber: columns absent from the file, and empty required choices, keep stored values.
        changes = {
            f: value
            for f, value in values.items()
            if (f in data.present or (f == "credit_code" and code))
            and not (value in ("", None) and f in ("chamber_type", "registration_status"))
        }
        for f in ("party_org_established", "has_mediation_committee"):
            if f in changes and changes[f] is None:
                changes[f] = False
        if "party_members" in changes and changes["party_members"] is None:
            changes["party_members"] = 0
        if name != old.organization.name:
            org_values["name"] = name  # matched by credit code: the chamber was renamed
        chamber_changes = {f: x for f, x in changes.items() if getattr(old, f) != x}
        org_changes = {
            f: x
            for f, x in org_values.items()
            if (f in data.present or f == "name") and getattr(old.organization, f) != x
        }
        if chamber_changes or org_changes:
            plan.update.append((old, org_changes, chamber_changes))
            plan.updated += 1
            plan.written.append(name)
        else:
            plan.unchanged += 1
    return plan


def write_batch(plan: BatchPlan) -> None:
    for item in plan.create:
        org = create_organization(
            kind="chamber",
            name=item["name"],
            region_code=item["region_code"],
            parent=item["parent"],
            contact_phone=item["contact_phone"],
            address=item["address"],
        )
        Chamber.objects.create(organization=org, org_path=org.path, **{f: item[f] for f in CHAMBER_FIELDS})
    now = timezone.now()
    for chamber, org_changes, chamber_changes in plan.update:
        if org_changes:
            Organization.objects.filter(pk=chamber.organization_id).update(**org_changes, updated_at=now)
        if chamber_changes:
            Chamber.objects.filter(pk=chamber.pk).update(**chamber_changes, updated_at=now)


def audit_summary(plan: BatchPlan) -> dict:
    return {
        "new": plan.new,
        "updated": plan.updated,
        "chambers": " ".join(plan.written),
        "changes": {chamber.pk: sorted([*o, *c]) for chamber, o, c in plan.update},
    }
