"""Every write to a chamber's registry record: details and party organisation, leadership terms (换届),
ratings and branches. Atomic, checked, audited; errors name the field in Chinese.

Ratings are awarded by the FIC, so only FIC staff (``registry.change_chamber`` in scope) record them; a
chamber's secretariat keeps its own terms, branches and details (``registry.keep_own_chamber``).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.orgs import regions
from qinqing.orgs.actions import create_organization
from qinqing.orgs.models import Organization

from .. import rules
from ..choices import ChamberType, RatingScheme, RegistrationStatus
from ..common import _in_scope, _redact, _require, save_changes
from ..models import Chamber, ChamberBranch, ChamberRating, ChamberTerm
from ..standards import uscc

CHAMBER_FIELDS = [
    "chamber_type",
    "registration_status",
    "credit_code",
    "registered_on",
    "party_org_established",
    "party_members",
    "has_mediation_committee",
    "law_firm_id",
    "note",
    "party_org_type",
    "party_liaison",
]
TERM_FIELDS = ["starts_on", "ends_on", "president", "secretary_general"]
BRANCH_FIELDS = ["name", "region_code", "contact_name", "established_on"]
FIRST_RATING_YEAR = 1990


def _can_change_chamber(actor, chamber: Chamber) -> None:
    if actor is None:
        return
    if actor.has_perm("registry.change_chamber"):
        _in_scope(actor, chamber.org_path)
    elif actor.has_perm("registry.keep_own_chamber") and actor.org_id == chamber.organization_id:
        return
    else:
        raise PermissionDenied


def _check_chamber(values: dict) -> dict:
    """Check a chamber's fields; return them with the credit code normalised. Errors name the field."""
    values = dict(values)
    errors = {}
    if "chamber_type" in values and values["chamber_type"] not in ChamberType.values:
        errors["chamber_type"] = _("商会类型：请选择列表中的类型")
    if "registration_status" in values and values["registration_status"] not in RegistrationStatus.values:
        errors["registration_status"] = _("登记状态：请选择列表中的状态")
    if values.get("party_members") is not None and values["party_members"] < 0:
        errors["party_members"] = _("党员人数：不能为负数")
    if values.get("registered_on") and values["registered_on"] > timezone.localdate():
        errors["registered_on"] = _("登记日期：不能晚于今天")
    if values.get("credit_code"):
        try:
            values["credit_code"] = uscc.validate(values["credit_code"])
        except uscc.InvalidCreditCode as exc:
            errors["credit_code"] = _("统一社会信用代码：%(reason)s") % {"reason": exc}
    if values.get("law_firm_id") and not Organization.objects.filter(pk=values["law_firm_id"], kind="lawfirm").exists():
        errors["law_firm_id"] = _("联系律师事务所：请选择律师事务所")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def register_chamber(organization: Organization, *, actor, chamber_type: str, **fields) -> Chamber:
    _require(actor, "registry.change_chamber")
    _in_scope(actor, organization.path)
    if organization.kind != "chamber":
        raise ValidationError({"organization": _("只能为商会类组织登记商会信息")})
    if Chamber.objects.filter(organization=organization).exists():
        raise ValidationError({"organization": _("该商会已登记")})
    fields = _check_chamber({"chamber_type": chamber_type, **fields})
    chamber = Chamber.objects.create(organization=organization, org_path=organization.path, **fields)
    audit.record("registry.register_chamber", obj=chamber, actor=actor, after=_redact(audit.snapshot(chamber)))
    return chamber


@transaction.atomic
def create_chamber(
    *, actor, fic: Organization, name: str, chamber_type: str, region_code: str = "", **fields
) -> Chamber:
    """Add a chamber under an FIC node of the actor's subtree: its organisation node, then its registry
    record (``register_chamber``). The node is made as the chamber import makes it: the registry's own right
    (``registry.change_chamber`` in scope) is checked here, FIC staff hold no right over the tree itself."""
    _require(actor, "registry.change_chamber")
    if fic.kind != "fic":
        raise ValidationError({"fic": _("所属工商联：请选择工商联")})
    _in_scope(actor, fic.path)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("商会名称：请填写")
    elif Organization.objects.filter(parent=fic, kind="chamber", name=name).exists():
        errors["name"] = _("商会名称：“%(fic)s”下已有“%(name)s”") % {"fic": fic.name, "name": name}
    code = (region_code or "").strip() or fic.region_code
    try:
        code = rules.region_code(code)
    except rules.RuleError as exc:
        errors["region_code"] = _("行政区划代码：%(reason)s") % {"reason": exc}
    if errors:
        raise ValidationError(errors)
    _check_chamber({"chamber_type": chamber_type, **fields})  # refuse before the node is made
    organization = create_organization(kind="chamber", name=name, region_code=code, parent=fic)
    return register_chamber(organization, actor=actor, chamber_type=chamber_type, **fields)


@transaction.atomic
def update_chamber(chamber: Chamber, *, actor, **changes) -> Chamber:
    """Change a chamber's details, including its party organisation (established? how many party members)."""
    _can_change_chamber(actor, chamber)
    unknown = set(changes) - set(CHAMBER_FIELDS)
    if unknown:
        raise PermissionDenied
    changes = _check_chamber(changes)
    before = audit.snapshot(chamber, CHAMBER_FIELDS)
    for name, value in changes.items():
        setattr(chamber, name, value)
    old, new = save_changes(chamber, CHAMBER_FIELDS, before)
    if new:
        audit.record("registry.update_chamber", obj=chamber, actor=actor, before=_redact(old), after=_redact(new))
    return chamber


# --- leadership terms (换届) ----------------------------------------------------------------------


def _check_term(chamber: Chamber, starts_on: datetime.date, ends_on: datetime.date, *, number: int) -> None:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("任期届满：必须晚于任期开始日期")})
    previous = chamber.terms.filter(number__lt=number).order_by("-number").first()
    if previous is not None and starts_on < previous.starts_on:
        raise ValidationError(
            {
                "starts_on": _("任期开始：早于第%(number)s届的开始日期（%(date)s）")
                % {"number": previous.number, "date": previous.starts_on}
            }
        )
    following = chamber.terms.filter(number__gt=number).order_by("number").first()
    if following is not None and starts_on > following.starts_on:
        raise ValidationError(
            {
                "starts_on": _("任期开始：晚于第%(number)s届的开始日期（%(date)s）")
                % {"number": following.number, "date": following.starts_on}
            }
        )


def _sync_term_end(chamber: Chamber) -> None:
    """The latest term's end date is the chamber's next 换届 due date."""
    latest = chamber.terms.order_by("-number").first()
    ends = latest.ends_on if latest is not None else None
    if chamber.term_ends_on != ends:
        chamber.term_ends_on = ends
        chamber.save(update_fields=["term_ends_on", "updated_at"])


@transaction.atomic
def start_term(
    chamber: Chamber,
    *,
    actor,
    starts_on: datetime.date,
    ends_on: datetime.date,
    president: str = "",
    secretary_general: str = "",
) -> ChamberTerm:
    """Record a new leadership term (换届); its end date becomes the chamber's next 换届 due date."""
    _can_change_chamber(actor, chamber)
    chamber = Chamber.objects.select_for_update().get(pk=chamber.pk)  # two clerks never make the same 届 twice
    last = chamber.terms.order_by("-number").first()
    number = (last.number + 1) if last else 1
    _check_term(chamber, starts_on, ends_on, number=number)
    term = ChamberTerm.objects.create(
        chamber=chamber,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        president=president,
        secretary_general=secretary_general,
    )
    _sync_term_end(chamber)
    audit.record("registry.start_term", obj=chamber, actor=actor, after=_redact(audit.snapshot(term)))
    return term


@transaction.atomic
def update_term(term: ChamberTerm, *, actor, **changes) -> ChamberTerm:
    """Correct a term's dates or leaders; correcting the latest term moves the 换届 due date with it."""
    chamber = term.chamber
    _can_change_chamber(actor, chamber)
    unknown = set(changes) - set(TERM_FIELDS)
    if unknown:
        raise PermissionDenied
    before = audit.snapshot(term, TERM_FIELDS)
    for name, value in changes.items():
        setattr(term, name, value)
    _check_term(chamber, term.starts_on, term.ends_on, number=term.number)
    old, new = save_changes(term, TERM_FIELDS, before)
    if new:
        _sync_term_end(chamber)
        audit.record(
            "registry.update_term",
            obj=chamber,
            actor=actor,
            object_repr=f"{chamber} {term}",
            before=old,
            after=new,
        )
    return term


@transaction.atomic
def remove_term(term: ChamberTerm, *, actor) -> None:
    """Withdraw a term recorded by mistake. Only the latest term can go, so 届次 stay consecutive; the
    previous term's end date becomes the 换届 due date again."""
    chamber = term.chamber
    _can_change_chamber(actor, chamber)
    latest = chamber.terms.order_by("-number").values_list("number", flat=True).first()
    if term.number != latest:
        raise ValidationError({"number": _("届次：只能删除最近一届（第%(number)s届）") % {"number": latest}})
    before = {"number": term.number, **audit.snapshot(term, TERM_FIELDS)}
    term.delete()
    _sync_term_end(chamber)
    audit.record(
        "registry.remove_term",
        obj=chamber,
        actor=actor,
        object_repr=_("%(chamber)s 第%(number)s届") % {"chamber": chamber, "number": before["number"]},
        before=before,
    )


# --- ratings (四好 / 五好) ------------------------------------------------------------------------


@transaction.atomic
def add_rating(chamber: Chamber, *, actor, scheme: str, year: int) -> ChamberRating:
    _require(actor, "registry.change_chamber")
    _in_scope(actor, chamber.org_path)
    if scheme not in RatingScheme.values:
        raise ValidationError({"scheme": _("评定：请选择列表中的评定")})
    this_year = timezone.localdate().year
    if not FIRST_RATING_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("年度：应在%(first)s年至%(last)s年之间") % {"first": FIRST_RATING_YEAR, "last": this_year}}
        )
    rating, created = ChamberRating.objects.get_or_create(chamber=chamber, scheme=scheme, year=year)
    if not created:
        raise ValidationError(
            {"scheme": _("评定：%(year)s年度已有“%(scheme)s”") % {"year": year, "scheme": rating.get_scheme_display()}}
        )
    audit.record(
        "registry.add_rating",
        obj=chamber,
        actor=actor,
        object_repr=f"{chamber} {rating}",
        after={"scheme": scheme, "year": year},
    )
    return rating


@transaction.atomic
def remove_rating(rating: ChamberRating, *, actor) -> None:
    chamber = rating.chamber
    _require(actor, "registry.change_chamber")
    _in_scope(actor, chamber.org_path)
    before = {"scheme": rating.scheme, "year": rating.year}
    label = str(rating)
    rating.delete()
    audit.record("registry.remove_rating", obj=chamber, actor=actor, object_repr=f"{chamber} {label}", before=before)


# --- branches (联络站) ----------------------------------------------------------------------------


def _check_branch(chamber: Chamber, values: dict, *, exclude: int | None = None) -> dict:
    out = dict(values)
    errors = {}
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        same = chamber.branches.filter(name=out["name"]).exclude(pk=exclude)
        if not out["name"]:
            errors["name"] = _("名称：请填写联络站名称")
        elif same.exists():
            errors["name"] = _("名称：本商会已有联络站“%(name)s”") % {"name": out["name"]}
    code = (out.get("region_code") or "").strip()
    if "region_code" in out:
        out["region_code"] = code
    if code and regions.region_of(code) is None:
        errors["region_code"] = _("所在行政区划：“%(code)s”不是有效的行政区划代码（GB/T 2260，6位数字）") % {
            "code": code
        }
    if out.get("established_on") and out["established_on"] > timezone.localdate():
        errors["established_on"] = _("设立日期：不能晚于今天")
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def add_branch(
    chamber: Chamber, *, actor, name: str, region_code: str = "", contact_name: str = "", established_on=None
) -> ChamberBranch:
    _can_change_chamber(actor, chamber)
    values = _check_branch(
        chamber,
        {"name": name, "region_code": region_code, "contact_name": contact_name, "established_on": established_on},
    )
    branch = ChamberBranch.objects.create(chamber=chamber, **values)
    audit.record("registry.add_branch", obj=chamber, actor=actor, after=_redact(audit.snapshot(branch, BRANCH_FIELDS)))
    return branch


@transaction.atomic
def update_branch(branch: ChamberBranch, *, actor, **changes) -> ChamberBranch:
    chamber = branch.chamber
    _can_change_chamber(actor, chamber)
    unknown = set(changes) - set(BRANCH_FIELDS)
    if unknown:
        raise PermissionDenied
    changes = _check_branch(chamber, changes, exclude=branch.pk)
    before = audit.snapshot(branch, BRANCH_FIELDS)
    for name, value in changes.items():
        setattr(branch, name, value)
    old, new = save_changes(branch, BRANCH_FIELDS, before)
    if new:
        audit.record(
            "registry.update_branch", obj=chamber, actor=actor, object_repr=f"{chamber} {branch}", before=old, after=new
        )
    return branch


@transaction.atomic
def remove_branch(branch: ChamberBranch, *, actor) -> None:
    chamber = branch.chamber
    _can_change_chamber(actor, chamber)
    before = audit.snapshot(branch, BRANCH_FIELDS)
    branch.delete()
    audit.record(
        "registry.remove_branch", obj=chamber, actor=actor, object_repr=f"{chamber} {before['name']}", before=before
    )
