"""Which registry rows a user may see and change.

- FIC staff and leaders: their node's subtree (``org_path``).
- Enterprise users: their own enterprise only; they may correct its contact data and yearly figures.
- Chamber secretaries: their own chamber, its members, and the enterprises that are its members.
- ``registry.view_pii`` (unmasked ID and mobile numbers) is held by FIC leaders only; every reveal is
  audited. Staff work with masked numbers, which is enough to recognise a record.
"""

from django.db.models import QuerySet
from django.http import Http404

from qinqing.core.models import Job
from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role
from qinqing.orgs.choices import FicLevel, OrgKind
from qinqing.orgs.models import Organization

from .models import (
    Chamber,
    ChamberBranch,
    ChamberRating,
    ChamberTerm,
    Enterprise,
    EnterpriseContact,
    EnterpriseYearFigures,
    Member,
)

FIC_READ = {
    "registry.view_enterprise",
    "registry.view_member",
    "registry.view_chamber",
    "registry.view_statistics",
}
GRANTS = {
    Role.FIC_STAFF: FIC_READ
    | {
        "registry.change_enterprise",
        "registry.change_member",
        "registry.change_chamber",
        "registry.import_registry",
        "registry.export_registry",
    },
    Role.FIC_LEADER: FIC_READ | {"registry.export_registry", "registry.view_pii"},
    Role.ENTERPRISE: {"registry.view_enterprise", "registry.correct_own_enterprise"},
    Role.CHAMBER_SECRETARY: {
        "registry.view_enterprise",
        "registry.view_member",
        "registry.view_chamber",
        "registry.keep_chamber_members",
        "registry.keep_own_chamber",
    },
}


def _chamber_user(user) -> bool:
    return user.role == Role.CHAMBER_SECRETARY


def visible_enterprises(user) -> QuerySet[Enterprise]:
    if not user.has_perm("registry.view_enterprise"):
        return Enterprise.objects.none()
    if user.role == Role.ENTERPRISE:
        return Enterprise.objects.filter(pk=user.enterprise_id)
    if _chamber_user(user):
        return Enterprise.objects.filter(memberships__organization_id=user.org_id).distinct()
    if _county_fic(user.org):
        # An enterprise's org_path is its FIC's path, and a county FIC has no FIC below it (orgs refuses one: no
        # region lies below a county's), so its scope is one path: an equality, which the (org_path, name) index
        # answers in list order (the prefix walked the name index past the other counties: 2.1 s at 3 M).
        return Enterprise.objects.filter(org_path=user.org.path)
    if _fic(user.org):
        # Above a county the same holds node by node: the scope is the paths of the FIC nodes in the subtree, as
        # a list, which the (org_path, name) index answers node by node in name order (= ANY of a list keeps the
        # index order on its first column): the enterprise list orders by (org_path, name). The prefix walked
        # the name index past the other cities' enterprises (0.5 s for a city of 923,000 at 3 M).
        paths = Organization.objects.filter(kind=OrgKind.FIC, path__startswith=user.org.path).values_list("path")
        return Enterprise.objects.filter(org_path__in=sorted(path for (path,) in paths))
    return Enterprise.objects.filter(subtree_q(user, "org_path"))


def _fic(org) -> bool:
    return org is not None and org.kind == OrgKind.FIC and bool(org.path)


def _county_fic(org) -> bool:
    return _fic(org) and org.fic_level == FicLevel.COUNTY


def get_enterprise(user, pk) -> Enterprise:
    try:
        return visible_enterprises(user).get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    if user.has_perm("registry.change_enterprise"):
        return enterprise.org_path.startswith(user.org.path)
    return user.has_perm("registry.correct_own_enterprise") and user.enterprise_id == enterprise.pk


def visible_year_figures(user) -> QuerySet[EnterpriseYearFigures]:
    return EnterpriseYearFigures.objects.filter(enterprise__in=visible_enterprises(user))


def get_year_figures(user, pk) -> EnterpriseYearFigures:
    try:
        return visible_year_figures(user).select_related("enterprise").get(pk=pk)
    except (EnterpriseYearFigures.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_contacts(user) -> QuerySet[EnterpriseContact]:
    return EnterpriseContact.objects.filter(enterprise__in=visible_enterprises(user))


def get_contact(user, pk) -> EnterpriseContact:
    try:
        return visible_contacts(user).select_related("enterprise").get(pk=pk)
    except (EnterpriseContact.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_members(user) -> QuerySet[Member]:
    if not user.has_perm("registry.view_member"):
        return Member.objects.none()
    if _chamber_user(user):
        return Member.objects.filter(organization_id=user.org_id)
    return Member.objects.filter(subtree_q(user, "org_path"))


def get_member(user, pk) -> Member:
    try:
        return visible_members(user).get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_keep_members(user, organization) -> bool:
    if user.has_perm("registry.change_member"):
        return organization.path.startswith(user.org.path)
    return user.has_perm("registry.keep_chamber_members") and user.org_id == organization.pk


def member_organizations(user):
    """Organisations a user may add members to."""
    from qinqing.orgs.models import Organization

    if user.has_perm("registry.change_member"):
        return Organization.objects.filter(subtree_q(user, "path"), kind__in=["fic", "chamber"])
    if user.has_perm("registry.keep_chamber_members"):
        return Organization.objects.filter(pk=user.org_id)
    return Organization.objects.none()


def group_chambers(user):
    """Chamber organisations a user may name as a group member: those of their subtree (FIC staff). A
    chamber secretary sees no other chamber, and names an outside group by its name instead."""
    from qinqing.orgs.models import Organization

    if not user.has_perm("registry.change_member"):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"), kind="chamber").order_by("path")


def enterprise_for_membership(organization, credit_code: str) -> Enterprise | None:
    """The enterprise with this credit code registered under the organisation's FIC (the only enterprises
    that may join it); None otherwise."""
    fic_path = organization.path if organization.kind == "fic" else organization.fic().path
    code = "".join((credit_code or "").split()).upper()
    return Enterprise.objects.filter(credit_code=code, org_path__startswith=fic_path).first()


def visible_chambers(user) -> QuerySet[Chamber]:
    if not user.has_perm("registry.view_chamber"):
        return Chamber.objects.none()
    if _chamber_user(user):
        return Chamber.objects.filter(organization_id=user.org_id)
    return Chamber.objects.filter(subtree_q(user, "org_path"))


def chamber_parents(user):
    """FIC nodes a user may register a new chamber under: their subtree's, with registry.change_chamber."""
    from qinqing.orgs.models import Organization

    if not user.has_perm("registry.change_chamber"):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"), kind="fic").order_by("path")


def unregistered_chamber_orgs(user):
    """Chamber nodes of the user's subtree that have no registry record yet."""
    from qinqing.orgs.models import Organization

    if not user.has_perm("registry.change_chamber"):
        return Organization.objects.none()
    return Organization.objects.filter(subtree_q(user, "path"), kind="chamber", chamber__isnull=True).order_by("path")


def get_chamber(user, pk) -> Chamber:
    try:
        return visible_chambers(user).select_related("organization", "law_firm").get(pk=pk)
    except (Chamber.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _chamber_part(user, model, pk):
    try:
        return model.objects.select_related("chamber__organization").get(pk=pk, chamber__in=visible_chambers(user))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_term(user, pk) -> ChamberTerm:
    return _chamber_part(user, ChamberTerm, pk)


def get_rating(user, pk) -> ChamberRating:
    return _chamber_part(user, ChamberRating, pk)


def get_branch(user, pk) -> ChamberBranch:
    return _chamber_part(user, ChamberBranch, pk)


def can_rate_chamber(user, chamber: Chamber) -> bool:
    """Ratings are awarded by the FIC: its staff record them, a chamber does not rate itself."""
    return user.has_perm("registry.change_chamber") and chamber.org_path.startswith(user.org.path)


def law_firms_for(chamber: Chamber):
    """Law firms a chamber may link to (万所联万会): those of its own FIC node and the nodes above it."""
    from qinqing.orgs.models import Organization

    parts = chamber.org_path.strip("/").split("/")
    ancestors = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]
    return Organization.objects.filter(kind="lawfirm", parent__path__in=ancestors).order_by("path")


def can_change_chamber(user, chamber: Chamber) -> bool:
    if user.has_perm("registry.change_chamber"):
        return chamber.org_path.startswith(user.org.path)
    return user.has_perm("registry.keep_own_chamber") and user.org_id == chamber.organization_id


def can_see_pii(user) -> bool:
    return user.has_perm("registry.view_pii")


def visible_import_jobs(user) -> QuerySet[Job]:
    if not user.has_perm("registry.import_registry"):
        return Job.objects.none()
    return Job.objects.filter(kind__startswith="registry.import", created_by=user)


def get_import_job(user, pk) -> Job:
    try:
        return visible_import_jobs(user).get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
