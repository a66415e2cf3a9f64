"""Chamber import: one row per chamber (商会), keyed by its 统一社会信用代码 when the row has one,
otherwise by its name within its FIC (所属工商联). A new chamber becomes an organisation node under
that FIC plus its registry record; an existing one has its record and contact details updated (never
moved to another FIC). Volumes are an FIC's chamber list (hundreds), so rows are planned one by one."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import home_versions
from qinqing.orgs import regions
from qinqing.orgs.actions import create_organization
from qinqing.orgs.models import Organization

from .. import rollups
from ..choices import ChamberType, PartyOrgType, RatingScheme, RegistrationStatus
from ..importing import parse
from ..importing.columns import CHAMBER_COLUMNS, HeaderMap
from ..importing.reader import Table
from ..importing.report import RowChecks, RowIssue
from ..members.importing import Scope
from ..models import Chamber, ChamberRating, ChamberTerm
from . import actions as actions_chambers

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
PARTY_TYPE_LABELS = {str(label): code for code, label in PartyOrgType.choices} | {
    "独立": "independent",
    "联合": "joint",
    "功能型": "functional",
}
YES = {"是", "有", "已建立", "已设立", "y", "yes", "true", "1", "√"}
NO = {"否", "无", "未建立", "未设立", "n", "no", "false", "0", "×"}
# The record's own fields that a file carries (the linked law firm is kept on the chamber's page).
CHAMBER_FIELDS = [f for f in actions_chambers.CHAMBER_FIELDS if f != "law_firm_id"]
ORG_FIELDS = ["contact_phone", "address"]
TEXT_LIMITS = {"name": 100, "contact_phone": 30, "address": 200, "note": 2000, "party_liaison": 50}
RATING_COLUMNS = {f"rating_{scheme}": scheme for scheme in RatingScheme.values}
LEADER_COLUMNS = {"term_president": "president", "term_secretary": "secretary_general"}  # column → ChamberTerm field
_YEARS_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass
class Validated:
    values: dict[str, list] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)  # columns the file has (others keep stored values)
    good: list[int] = field(default_factory=list)
    raw: dict[str, list] = field(default_factory=dict)  # the cells as typed, for error messages


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
            errors.append((i, _("%(what)s请填写“是”或“否”") % {"what": what}))
    return out, errors


def validate(table: Table, headers: HeaderMap, errors: list[RowIssue], notes: list[RowIssue]) -> Validated:
    rows = table.rows
    n = len(rows)
    raw = {key: [row[pos] if pos < len(row) else "" for row in rows] for key, pos in headers.index.items()}
    out = Validated(present=set(raw))
    for key in LABELS:
        raw.setdefault(key, [""] * n)
    out.raw = raw
    checks = RowChecks(raw, LABELS, out.values, errors)
    bad, take = checks.bad, checks.take
    codes = checks.credit_codes(notes)
    for key, limit in TEXT_LIMITS.items():
        take(key, parse.text(raw[key], limit))
    take("chamber_type", parse.choice(raw["chamber_type"], TYPE_LABELS, _("商会类型")))
    take("registration_status", parse.choice(raw["registration_status"], STATUS_LABELS, _("登记状态")))
    take("registered_on", parse.date(raw["registered_on"]))
    take("party_members", parse.integer(raw["party_members"]))
    take("party_org_type", parse.choice(raw["party_org_type"], PARTY_TYPE_LABELS, LABELS["party_org_type"]))
    take("party_org_established", _boolean(raw["party_org_established"], LABELS["party_org_established"]))
    take("has_mediation_committee", _boolean(raw["has_mediation_committee"], LABELS["has_mediation_committee"]))
    take("term_number", parse.integer(raw["term_number"]))
    take("term_starts_on", parse.date(raw["term_starts_on"]))
    take("term_ends_on", parse.date(raw["term_ends_on"]))
    for key in LEADER_COLUMNS:
        take(key, parse.text(raw[key], 50))
    for key in RATING_COLUMNS:
        take(key, _years(raw[key]))
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
            problem = ("name", _("必填"))
        elif region and not regions.is_current(region):
            problem = ("region_code", _("不是现行的行政区划代码"))
        elif out.values["registered_on"][i] and out.values["registered_on"][i] > today:
            problem = ("registered_on", _("登记日期不能晚于今天"))
        elif (problem := _term_problem(out.values, i)) is not None:
            pass
        elif codes[i] and codes[i] in seen_code:
            problem = ("credit_code", _("与第%(row)s行重复") % {"row": seen_code[codes[i]] + 2})
        elif (raw["fic"][i], name) in seen_name:
            problem = ("name", _("同一工商联下与第%(row)s行重名") % {"row": seen_name[(raw["fic"][i], name)] + 2})
        if problem is None:
            seen_name[(raw["fic"][i], name)] = i
            if codes[i]:
                seen_code[codes[i]] = i
        elif i not in bad:
            checks.reject(i, *problem)
    out.good = checks.good(n)
    return out


def _years(values: list[str]) -> parse.Parsed:
    """ "2021、2023" → [2021, 2023]: the years a rating was awarded."""
    this_year = datetime.date.today().year
    out: list = [[] for _v in values]
    errors = []
    for i, v in enumerate(values):
        years = []
        for part in _YEARS_SPLIT.split(v):
            if not part:
                continue
            part = part.removesuffix("年").removesuffix(".0")
            if not part.isdigit() or not actions_chambers.FIRST_RATING_YEAR <= int(part) <= this_year:
                errors.append(
                    (
                        i,
                        _("应为%(low)s至%(high)s之间的年度，多个用“、”分隔")
                        % {"low": actions_chambers.FIRST_RATING_YEAR, "high": this_year},
                    )
                )
                break
            years.append(int(part))
        else:
            out[i] = sorted(set(years))
    return out, errors


def _term_problem(v: dict, i: int) -> tuple[str, str] | None:
    number, starts, ends = v["term_number"][i], v["term_starts_on"][i], v["term_ends_on"][i]
    if number is None and starts is None:
        return None  # no term, or only 本届任期届满 (checked against the stored term in plan_batch)
    if number is not None and number < 1:
        return ("term_number", _("届次应为正整数"))
    if starts is None:
        return ("term_starts_on", _("填写届次时必须填写任期开始"))
    if ends is None:
        return ("term_ends_on", _("填写任期开始时必须填写本届任期届满"))
    if ends <= starts:
        return ("term_ends_on", _("本届任期届满必须晚于任期开始"))
    return None


def _leaders_changed(term, leaders: dict) -> bool:
    return any(getattr(term, f) != name for f, name in leaders.items())


def _plan_term(terms: list, number, starts, ends, leaders: dict) -> tuple[tuple | None, tuple[str, str] | None]:
    """What the row's term does to the chamber's terms (ordered by number): ("create", number, starts,
    ends, leaders), ("update", term, starts, ends, leaders), None (nothing); or a (column key, reason)
    problem. ``leaders``: the 会长/秘书长 the row names (ChamberTerm field → name; blank cells left out)."""
    latest = terms[-1] if terms else None
    if number is None and starts is None:
        if ends is not None and (latest is None or latest.ends_on != ends):
            return None, ("term_ends_on", _("修改任期届满时请同时填写届次和任期开始"))
        if not leaders:
            return None, None
        if latest is None:  # names without a term to hold them
            key = next(k for k, f in LEADER_COLUMNS.items() if f in leaders)
            return None, (key, _("填写会长、秘书长时须同时填写届次和任期开始"))
        if _leaders_changed(latest, leaders):  # the current term's leadership, corrected
            return ("update", latest, latest.starts_on, latest.ends_on, leaders), None
        return None, None
    if number is None:
        number = latest.number if latest is not None and latest.starts_on == starts else None
        number = number or (latest.number + 1 if latest is not None else 1)
    by_number = {t.number: t for t in terms}
    term = by_number.get(number)
    if term is None and latest is not None and number != latest.number + 1:
        return None, (
            "term_number",
            _("该商会最近一届为第%(n)s届，只能导入该届或第%(next)s届")
            % {"n": latest.number, "next": latest.number + 1},
        )
    before = [t for t in terms if t.number < number]
    after = [t for t in terms if t.number > number]
    if before and starts < before[-1].starts_on:
        return None, (
            "term_starts_on",
            _("任期开始早于第%(n)s届的开始日期（%(d)s）") % {"n": before[-1].number, "d": before[-1].starts_on},
        )
    if after and starts > after[0].starts_on:
        return None, (
            "term_starts_on",
            _("任期开始晚于第%(n)s届的开始日期（%(d)s）") % {"n": after[0].number, "d": after[0].starts_on},
        )
    if term is None:
        return ("create", number, starts, ends, leaders), None
    if (term.starts_on, term.ends_on) != (starts, ends) or _leaders_changed(term, leaders):
        return ("update", term, starts, ends, leaders), None
    return None, None


@dataclass
class BatchPlan:
    create: list[dict] = field(default_factory=list)  # parent, name, region_code, org fields, chamber fields
    update: list[tuple[Chamber, dict, dict]] = field(default_factory=list)  # chamber, org changes, chamber changes
    written: list[str] = field(default_factory=list)
    terms: list[tuple] = field(default_factory=list)  # (chamber, op) for existing chambers
    ratings: list[tuple] = field(default_factory=list)  # (chamber, scheme, year) to add
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
        "party_org_type": values["party_org_type"] or "",
        "party_liaison": values["party_liaison"] or "",
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
    terms: dict[int, list] = {}
    for term in ChamberTerm.objects.filter(chamber__in=known).order_by("number"):
        terms.setdefault(term.chamber_id, []).append(term)
    rated = set(ChamberRating.objects.filter(chamber__in=known).values_list("chamber_id", "scheme", "year"))
    by_code = {c.credit_code: c for c in known if c.credit_code}
    by_name = {(c.organization.parent_id, c.organization.name): c for c in known if c.org_path.startswith(root.path)}
    plan = BatchPlan()
    for i in indices:
        fic_code = v["fic"][i]
        parent = fics.get(fic_code) if fic_code else default_fic
        if parent is None:
            reason = _("未找到该工商联（须为本级或下级工商联的编码）") if fic_code else _("请填写所属工商联编码")
            errors.append(RowIssue(i + 2, LABELS["fic"], fic_code, reason))
            continue
        code, name = v["credit_code"][i], v["name"][i]
        old = by_code.get(code) if code else None
        if old is not None and not old.org_path.startswith(root.path):
            errors.append(
                RowIssue(i + 2, LABELS["credit_code"], code, _("该信用代码已登记为其他工商联的商会，无权修改"))
            )
            continue
        if old is None:
            old = by_name.get((parent.id, name))
            if old is not None and code and old.credit_code and old.credit_code != code:
                reason = _("该工商联已有同名商会，其信用代码为%(code)s") % {"code": old.credit_code}
                errors.append(RowIssue(i + 2, LABELS["credit_code"], code, reason))
                continue
        elif fic_code and old.organization.parent_id != parent.id:
            errors.append(RowIssue(i + 2, LABELS["fic"], fic_code, _("该商会属于其他工商联，导入不能移动商会")))
            continue
        values = {f: v[f][i] for f in CHAMBER_FIELDS}
        org_values = {f: v[f][i] for f in ORG_FIELDS}
        term_op, problem = _plan_term(
            terms.get(old.pk, []) if old is not None else [],
            v["term_number"][i],
            v["term_starts_on"][i],
            v["term_ends_on"][i],
            {f: v[key][i] for key, f in LEADER_COLUMNS.items() if v[key][i]},
        )
        if problem is not None:
            errors.append(RowIssue(i + 2, LABELS[problem[0]], data.raw[problem[0]][i], problem[1]))
            continue
        ratings = [
            (scheme, year)
            for key, scheme in RATING_COLUMNS.items()
            for year in v[key][i]
            if old is None or (old.pk, scheme, year) not in rated
        ]
        if old is None:
            if not values["chamber_type"]:
                errors.append(RowIssue(i + 2, LABELS["chamber_type"], "", _("新商会必须填写商会类型")))
                continue
            region = v["region_code"][i] or parent.region_code
            plan.create.append(
                {
                    "parent": parent,
                    "name": name,
                    "region_code": region,
                    **org_values,
                    **_defaults(values),
                    "term": term_op,
                    "ratings": ratings,
                }
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
        for f in ("party_org_type", "party_liaison"):
            if f in changes and changes[f] is None:
                changes[f] = ""
        if name != old.organization.name:
            org_values["name"] = name  # matched by credit code: the chamber was renamed
        chamber_changes = {f: x for f, x in changes.items() if getattr(old, f) != x}
        org_changes = {
            f: x
            for f, x in org_values.items()
            if (f in data.present or f == "name") and getattr(old.organization, f) != x
        }
        if term_op is not None:
            plan.terms.append((old, term_op))
        plan.ratings.extend((old, scheme, year) for scheme, year in ratings)
        if chamber_changes or org_changes or term_op is not None or ratings:
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
        chamber = Chamber.objects.create(organization=org, org_path=org.path, **{f: item[f] for f in CHAMBER_FIELDS})
        if item["term"] is not None:
            plan.terms.append((chamber, item["term"]))
        plan.ratings.extend((chamber, scheme, year) for scheme, year in item["ratings"])
    now = timezone.now()
    for chamber, org_changes, chamber_changes in plan.update:
        if org_changes:
            Organization.objects.filter(pk=chamber.organization_id).update(**org_changes, updated_at=now)
        if chamber_changes:
            with rollups.tracking(rollups.CHAMBER_ROLLUPS, [chamber.pk]):  # type, status, day, party org
                Chamber.objects.filter(pk=chamber.pk).update(**chamber_changes, updated_at=now)
    for chamber, (op, target, starts, ends, leaders) in plan.terms:
        if op == "create":
            ChamberTerm.objects.create(chamber=chamber, number=target, starts_on=starts, ends_on=ends, **leaders)
        else:
            ChamberTerm.objects.filter(pk=target.pk).update(starts_on=starts, ends_on=ends, **leaders, updated_at=now)
        # The latest term's end is the chamber's next 换届 due date (as actions_chambers keeps it).
        latest = ChamberTerm.objects.filter(chamber=chamber).order_by("-number").values_list("ends_on", flat=True)
        Chamber.objects.filter(pk=chamber.pk).update(term_ends_on=latest.first(), updated_at=now)
    ChamberRating.objects.bulk_create(
        [ChamberRating(chamber=chamber, scheme=scheme, year=year) for chamber, scheme, year in plan.ratings]
    )
    # update() sends no signal: the home cards counting organisations and chambers recount after the commit
    if any(org_changes for _chamber, org_changes, _changes in plan.update):
        home_versions.changed("orgs.Organization")
    if any(changes for _chamber, _org, changes in plan.update) or plan.terms:
        home_versions.changed("registry.Chamber")


def audit_summary(plan: BatchPlan) -> dict:
    return {
        "new": plan.new,
        "updated": plan.updated,
        "chambers": " ".join(plan.written),
        "changes": {chamber.pk: sorted([*o, *c]) for chamber, o, c in plan.update},
        "terms": [
            [chamber.pk, op, target if op == "create" else target.number, starts, ends, leaders]
            for chamber, (op, target, starts, ends, leaders) in plan.terms
        ],
        "ratings": [[chamber.pk, scheme, year] for chamber, scheme, year in plan.ratings],
    }
