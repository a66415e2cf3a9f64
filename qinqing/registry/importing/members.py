"""Member import: one row per membership, keyed by organisation and enterprise credit code (or group,
or the individual's ID number). Volumes are those of an FIC's membership roll, so the ORM's bulk
operations are enough here."""

from dataclasses import dataclass, field

from qinqing.orgs.models import Organization

from ..choices import MemberKind, MemberRole
from ..models import Enterprise, Member
from ..standards import idcard, mobile
from . import parse
from .columns import MEMBER_COLUMNS, HeaderMap
from .reader import Table
from .report import RowChecks, RowIssue

LABELS = {c.key: c.label for c in MEMBER_COLUMNS}
KIND_LABELS = {str(label): code for code, label in MemberKind.choices} | {
    "企业": "enterprise",
    "团体": "group",
    "个人": "individual",
}
ROLE_LABELS = {str(label): code for code, label in MemberRole.choices}
FIELDS = ["kind", "person_name", "id_number", "mobile", "role", "joined_on", "left_on"]


@dataclass
class Validated:
    values: dict[str, list] = field(default_factory=dict)
    good: list[int] = field(default_factory=list)


def validate(table: Table, headers: HeaderMap, errors: list[RowIssue], notes: list[RowIssue]) -> Validated:
    n = len(table.rows)
    raw = {key: [row[pos] if pos < len(row) else "" for row in table.rows] for key, pos in headers.index.items()}
    for key in (
        "credit_code",
        "name",
        "kind",
        "organization",
        "group_code",
        "person_name",
        "id_number",
        "mobile",
        "role",
        "left_on",
    ):
        raw.setdefault(key, [""] * n)
    out = Validated()
    checks = RowChecks(raw, LABELS, out.values, errors)
    bad, take = checks.bad, checks.take
    codes = checks.credit_codes(notes)
    take("kind", parse.choice(raw["kind"], KIND_LABELS, "会员类别"))
    take("role", parse.choice(raw["role"], ROLE_LABELS, "职务"))
    take("joined_on", parse.date(raw["joined_on"]))
    take("left_on", parse.date(raw["left_on"]))
    take("person_name", parse.text(raw["person_name"], 50))
    take("id_number", parse.each(raw["id_number"], idcard.validate, (idcard.InvalidIdNumber,)))
    take("mobile", parse.each(raw["mobile"], mobile.validate_mobile, (ValueError,)))
    out.values["organization"] = raw["organization"]
    out.values["group_code"] = raw["group_code"]
    for i in range(n):
        if not any(table.rows[i]):
            bad.add(i)
            continue
        kind = out.values["kind"][i] or (
            MemberKind.GROUP if raw["group_code"][i] else MemberKind.ENTERPRISE if codes[i] else MemberKind.INDIVIDUAL
        )
        out.values["kind"][i] = kind
        out.values["role"][i] = out.values["role"][i] or MemberRole.MEMBER
        problem = None
        if out.values["joined_on"][i] is None and i not in bad:
            problem = ("joined_on", "必填")
        elif kind == MemberKind.ENTERPRISE and not codes[i] and i not in bad:
            problem = ("credit_code", "企业会员必须填写统一社会信用代码")
        elif kind == MemberKind.GROUP and not raw["group_code"][i]:
            problem = ("group_code", "团体会员必须填写团体会员组织编码")
        elif kind == MemberKind.INDIVIDUAL and not raw["person_name"][i]:
            problem = ("person_name", "个人会员必须填写姓名")
        left, joined = out.values["left_on"][i], out.values["joined_on"][i]
        if problem is None and left and joined and left < joined:
            problem = ("left_on", "退会日期早于入会日期")
        if problem:
            checks.reject(i, *problem)
    out.good = checks.good(n)
    return out


@dataclass
class Scope:
    root: Organization

    @classmethod
    def for_org(cls, org) -> "Scope":
        return cls(org)


@dataclass
class BatchPlan:
    create: list[Member] = field(default_factory=list)
    update: list[Member] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def plan_batch(indices: list[int], data: Validated, scope: Scope, errors: list[RowIssue]) -> BatchPlan:
    v = data.values
    root = scope.root
    org_codes = {v["organization"][i] for i in indices if v["organization"][i]} | {
        v["group_code"][i] for i in indices if v["group_code"][i]
    }
    orgs = {o.code: o for o in Organization.objects.filter(code__in=org_codes, path__startswith=root.path)}
    ents = dict(
        Enterprise.objects.filter(
            credit_code__in=[v["credit_code"][i] for i in indices if v["credit_code"][i]],
            org_path__startswith=root.path if root.kind == "fic" else root.fic().path,
        ).values_list("credit_code", "id")
    )
    target_ids = {o.id for o in orgs.values()} | {root.id}
    existing = {}
    for m in Member.objects.filter(organization_id__in=target_ids):
        key = (m.organization_id, m.kind, m.enterprise_id or m.group_id or m.id_number or m.person_name)
        existing[key] = m
    plan = BatchPlan()
    for i in indices:
        org_code = v["organization"][i]
        org = orgs.get(org_code) if org_code else root
        if org is None or org.kind not in ("fic", "chamber"):
            errors.append(
                RowIssue(i + 2, LABELS["organization"], org_code, "未找到该组织（须为本级或下级工商联、商会的编码）")
            )
            continue
        kind = v["kind"][i]
        enterprise_id = group_id = None
        if kind == MemberKind.ENTERPRISE:
            enterprise_id = ents.get(v["credit_code"][i])
            if enterprise_id is None:
                errors.append(RowIssue(i + 2, LABELS["credit_code"], v["credit_code"][i], "未找到该企业，请先导入企业"))
                continue
        elif kind == MemberKind.GROUP:
            group = orgs.get(v["group_code"][i])
            if group is None or group.kind != "chamber":
                errors.append(RowIssue(i + 2, LABELS["group_code"], v["group_code"][i], "未找到该商会"))
                continue
            group_id = group.id
        ident = enterprise_id or group_id or v["id_number"][i] or v["person_name"][i]
        values = {f: v[f][i] for f in FIELDS}
        values["person_name"] = values["person_name"] or ""
        old = existing.get((org.id, kind, ident))
        if old is None:
            member = Member(
                organization=org, org_path=org.path, enterprise_id=enterprise_id, group_id=group_id, **values
            )
            existing[(org.id, kind, ident)] = member
            plan.create.append(member)
            plan.new += 1
        elif any(getattr(old, f) != values[f] for f in FIELDS):
            for f, value in values.items():
                setattr(old, f, value)
            if old.pk:
                plan.update.append(old)
            plan.updated += 1
        else:
            plan.unchanged += 1
    return plan


def write_batch(plan: BatchPlan) -> None:
    Member.objects.bulk_create(plan.create, batch_size=1000)
    Member.objects.bulk_update(plan.update, FIELDS, batch_size=1000)


def audit_summary(plan: BatchPlan) -> dict:
    return {"new": plan.new, "updated": plan.updated, "member_ids": [m.pk for m in plan.update]}
