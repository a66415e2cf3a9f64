"""Member import: one row per membership, keyed by organisation and enterprise credit code (or group
chamber code, or an individual's ID number, else name + mobile: a name alone cannot tell two people
apart). Volumes are those of an FIC's membership roll, so the ORM's bulk operations are enough here."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from qinqing.core import home_versions
from qinqing.core.crypto.fields import sealed, with_blind_indexes
from qinqing.orgs.models import Organization

from .. import rollups
from ..choices import DeputyLevel, MemberKind, MemberRole
from ..importing import parse
from ..importing.columns import MEMBER_COLUMNS, HeaderMap
from ..importing.reader import Table
from ..importing.report import RowChecks, RowIssue
from ..masking import masked_id, masked_mobile
from ..models import Enterprise, Member
from ..standards import idcard, mobile

LABELS = {c.key: c.label for c in MEMBER_COLUMNS}
KIND_LABELS = {str(label): code for code, label in MemberKind.choices} | {
    "企业": "enterprise",
    "团体": "group",
    "个人": "individual",
}
ROLE_LABELS = {str(label): code for code, label in MemberRole.choices}
# 无 clears a level ("" is stored); a blank cell (None after parsing) keeps the stored one.
NONE_LABEL = "无"
DEPUTY_LABELS = {str(label): code for code, label in DeputyLevel.choices} | {NONE_LABEL: NONE_LABEL}
DEPUTY_FIELDS = ["npc_level", "cppcc_level"]
FIELDS = ["kind", "person_name", "id_number", "mobile", "role", "joined_on", "left_on", *DEPUTY_FIELDS]


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
        *DEPUTY_FIELDS,
    ):
        raw.setdefault(key, [""] * n)
    out = Validated()
    checks = RowChecks(raw, LABELS, out.values, errors)
    bad, take = checks.bad, checks.take
    codes = checks.credit_codes(notes)
    take("kind", parse.choice(raw["kind"], KIND_LABELS, _("会员类别")))
    take("role", parse.choice(raw["role"], ROLE_LABELS, _("职务")))
    take("joined_on", parse.date(raw["joined_on"]))
    for key in DEPUTY_FIELDS:
        take(key, parse.choice(raw[key], DEPUTY_LABELS, LABELS[key]))
    take("left_on", parse.date(raw["left_on"]))
    take("person_name", parse.text(raw["person_name"], 50))
    # A masked number (an export by someone without view_pii) is kept as typed: it identifies a stored
    # member and keeps that member's full number.
    take("id_number", parse.each(raw["id_number"], idcard.validate, (idcard.InvalidIdNumber,), fast=parse.is_masked))
    take("mobile", parse.each(raw["mobile"], mobile.validate_mobile, (ValueError,), fast=parse.is_masked))
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
            problem = ("joined_on", _("必填"))
        elif kind == MemberKind.ENTERPRISE and not codes[i] and i not in bad:
            problem = ("credit_code", _("企业会员必须填写统一社会信用代码"))
        elif kind == MemberKind.GROUP and not raw["group_code"][i]:
            problem = ("group_code", _("团体会员必须填写团体会员组织编码"))
        elif kind == MemberKind.INDIVIDUAL and not raw["person_name"][i]:
            problem = ("person_name", _("个人会员必须填写姓名"))
        elif kind == MemberKind.INDIVIDUAL and not raw["id_number"][i] and not raw["mobile"][i]:
            problem = ("id_number", _("个人会员须填写身份证号或手机号码（仅凭姓名无法区分同名的人）"))
        left, joined = out.values["left_on"][i], out.values["joined_on"][i]
        if problem is None and left and joined and left < joined:
            problem = ("left_on", _("退会日期早于入会日期"))
        if problem:
            checks.reject(i, *problem)
    # The same membership twice in one file: which row is right cannot be guessed, so both rows are
    # refused, each error naming both row numbers.
    first: dict[tuple, int] = {}
    for i in range(n):
        if i in bad:
            continue
        key = row_key(out.values, i, codes[i])
        if key not in first:
            first[key] = i
            continue
        what = {"enterprise": _("企业"), "group": _("团体"), "individual": _("个人")}[key[1]]
        earlier = first[key]
        reason = _("第%(first)s行与第%(second)s行重复：同一组织的同一%(what)s会员出现两次，两行均未导入")
        if earlier not in bad:
            checks.reject(earlier, KEY_COLUMN[key[1]], reason % {"first": earlier + 2, "second": i + 2, "what": what})
        checks.reject(i, KEY_COLUMN[key[1]], reason % {"first": earlier + 2, "second": i + 2, "what": what})
    _same_person(out.values, n, bad, checks)
    out.good = checks.good(n)
    return out


def _same_person(v: dict, n: int, bad: set, checks) -> None:
    """A row without an ID number whose name and mobile are those of a row with one: stored, the first
    would be found by name + mobile and taken for the second (``_People.find``), so in one file they are
    the same person twice. Both rows are refused, each naming the other."""
    with_id: dict[tuple, int] = {}
    for i in range(n):
        if i not in bad and v["kind"][i] == MemberKind.INDIVIDUAL and v["mobile"][i] and v["id_number"][i]:
            with_id.setdefault((v["organization"][i], v["person_name"][i], v["mobile"][i]), i)
    reason = _("第%(first)s行与第%(second)s行重复：姓名和手机号码相同，一行有身份证号、一行没有，两行均未导入")
    for i in range(n):
        if i in bad or v["kind"][i] != MemberKind.INDIVIDUAL or v["id_number"][i] or not v["mobile"][i]:
            continue
        other = with_id.get((v["organization"][i], v["person_name"][i], v["mobile"][i]))
        if other is None:
            continue
        first, second = sorted((other, i))
        text = reason % {"first": first + 2, "second": second + 2}
        if other not in bad:
            checks.reject(other, "person_name", text)
        checks.reject(i, "person_name", text)


KEY_COLUMN = {"enterprise": "credit_code", "group": "group_code", "individual": "person_name"}


def row_key(v: dict, i: int, code: str) -> tuple:
    """What identifies the membership in row ``i``: organisation (as typed), kind and the member."""
    kind = v["kind"][i]
    if kind == MemberKind.ENTERPRISE:
        ident: tuple = (code,)
    elif kind == MemberKind.GROUP:
        ident = (v["group_code"][i],)
    elif v["id_number"][i] and not parse.is_masked(v["id_number"][i]):
        ident = ("id", v["id_number"][i])
    else:  # two people may share a masked ID number, not also a name and a (masked) mobile
        ident = ("person", v["person_name"][i], v["id_number"][i], v["mobile"][i])
    return (v["organization"][i], kind, *ident)


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
    people = _People()
    for m in Member.objects.filter(organization_id__in=target_ids):
        if m.kind == MemberKind.INDIVIDUAL:
            people.add(m)
        else:
            existing[(m.organization_id, m.kind, m.enterprise_id or m.group_id)] = m
    plan = BatchPlan()
    for i in indices:
        org_code = v["organization"][i]
        org = orgs.get(org_code) if org_code else root
        if org is None or org.kind not in ("fic", "chamber"):
            errors.append(
                RowIssue(i + 2, LABELS["organization"], org_code, _("未找到该组织（须为本级或下级工商联、商会的编码）"))
            )
            continue
        kind = v["kind"][i]
        enterprise_id = group_id = None
        if kind == MemberKind.ENTERPRISE:
            enterprise_id = ents.get(v["credit_code"][i])
            if enterprise_id is None:
                errors.append(
                    RowIssue(i + 2, LABELS["credit_code"], v["credit_code"][i], _("未找到该企业，请先导入企业"))
                )
                continue
        elif kind == MemberKind.GROUP:
            group = orgs.get(v["group_code"][i])
            if group is None or group.kind != "chamber":
                errors.append(RowIssue(i + 2, LABELS["group_code"], v["group_code"][i], _("未找到该商会")))
                continue
            group_id = group.id
        values = {f: v[f][i] for f in FIELDS}
        values["person_name"] = values["person_name"] or ""
        if kind == MemberKind.INDIVIDUAL:
            old, problem = people.find(org.id, values["person_name"], values["id_number"], values["mobile"])
            if problem:
                errors.append(RowIssue(i + 2, problem[0], problem[1], problem[2]))
                continue
        else:
            old = existing.get((org.id, kind, enterprise_id or group_id))
        masked = [f for f in ("id_number", "mobile") if parse.is_masked(values[f])]
        if masked and old is None:
            f = masked[0]
            errors.append(RowIssue(i + 2, LABELS[f], values[f], _("号码已脱敏，新会员请填写完整号码")))
            continue
        for f in masked:  # a masked number re-imported keeps the stored one
            values[f] = getattr(old, f)
        for f in DEPUTY_FIELDS:  # blank keeps the stored level (none for a new member); 无 clears it
            if values[f] is None:
                values[f] = getattr(old, f) if old is not None else ""
            elif values[f] == NONE_LABEL:
                values[f] = ""
        if old is None:
            member = Member(
                organization=org, org_path=org.path, enterprise_id=enterprise_id, group_id=group_id, **values
            )
            if kind == MemberKind.INDIVIDUAL:
                people.add(member)
            else:
                existing[(org.id, kind, enterprise_id or group_id)] = member
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


class _People:
    """Stored individual members, found by ID number, else by name + mobile (either possibly masked)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, list[Member]] = {}

    def add(self, m: Member) -> None:
        keys = set()
        if m.id_number:
            keys |= {("id", m.id_number), ("id", masked_id(m.id_number))}
        if m.mobile:
            keys |= {("mobile", m.person_name, m.mobile), ("mobile", m.person_name, masked_mobile(m.mobile))}
        for key in keys:
            self.by_key.setdefault((m.organization_id, *key), []).append(m)

    def find(self, org_id: int, name: str, id_number: str, mobile_no: str) -> tuple[Member | None, tuple | None]:
        """The stored member the row means (or None), or a (column, value, reason) problem."""
        if id_number:
            found = self.by_key.get((org_id, "id", id_number), [])
            if len(found) > 1:  # a masked number several stored people share: the name must tell
                found = [m for m in found if m.person_name == name]
            if len(found) == 1:
                return found[0], None
            if len(found) > 1:
                return None, (LABELS["id_number"], id_number, _("号码已脱敏，对应多名同名会员，请填写完整号码"))
        if mobile_no:
            found = [
                m
                for m in self.by_key.get((org_id, "mobile", name, mobile_no), [])
                # the same name and mobile but another ID number is another person
                if not id_number or not m.id_number or parse.is_masked(id_number) or m.id_number == id_number
            ]
            if len(found) == 1:
                return found[0], None
            if len(found) > 1:
                return None, (LABELS["mobile"], mobile_no, _("号码已脱敏，对应多名同名会员，请填写完整号码"))
        return None, None


def write_batch(plan: BatchPlan) -> None:
    # Personal numbers sealed for the whole batch at once (qinqing.core.crypto), blind indexes with them.
    with sealed([*plan.create, *plan.update]), rollups.tracking(rollups.MEMBERS, (m.pk for m in plan.update)):
        Member.objects.bulk_create(plan.create, batch_size=1000)
        Member.objects.bulk_update(plan.update, with_blind_indexes(Member, FIELDS), batch_size=1000)
        rollups.count_members(m.pk for m in plan.create)
    if plan.create or plan.update:  # bulk writes send no signal: the home cards counting members recount
        home_versions.changed("registry.Member")


def changed_enterprise_ids(plan: BatchPlan) -> list[int]:
    """Enterprises whose membership a written batch created or changed (membership is a policy condition)."""
    return sorted({m.enterprise_id for m in (*plan.create, *plan.update) if m.enterprise_id})


def audit_summary(plan: BatchPlan) -> dict:
    return {"new": plan.new, "updated": plan.updated, "member_ids": [m.pk for m in plan.update]}
