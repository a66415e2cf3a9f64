"""Who sees a 亲清日志 entry — narrower than the organisation subtree. Missing and forbidden look the same (404).

- the official who logged it (fic_staff, fic_leader or dept_liaison);
- their unit's leader: a fic_leader of the entry's unit or of any unit above it (by org_path);
- the 纪检监督 reviewer, within their subtree.
Other staff see no one else's entries, even in their own unit. Enterprises see none: an entry records an
official's conduct, and a matter an enterprise raised reaches it as the appeal made from it.

The negative list is read by everyone who logs or reviews, and maintained by the reviewer.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import ConductItem, ContactEntry, Matter

VIEW = "contactlog.view_entry"
LOG = "contactlog.log_contact"
REVIEW = "contactlog.review_entry"
MANAGE_LIST = "contactlog.manage_conduct"
FIGURES = "contactlog.view_figures"

GRANTS = {
    Role.FIC_STAFF: {VIEW, LOG},
    Role.FIC_LEADER: {VIEW, LOG, FIGURES},
    Role.DEPT_LIAISON: {VIEW, LOG},
    Role.DISCIPLINE_REVIEWER: {VIEW, REVIEW, MANAGE_LIST, FIGURES},
}

# Officials who log contacts and turn the matters of their own entries into appeals (staff's are accepted at
# once; leaders' and liaisons' wait in the FIC's intake queue for staff).
OFFICIALS = (Role.FIC_STAFF, Role.FIC_LEADER, Role.DEPT_LIAISON)


def entry_q(user, prefix: str = "") -> Q:
    """The entries ``user`` may read, as a Q on ContactEntry (``prefix`` for a related model, e.g. "entry__")."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Q(pk__in=[])
    if user.role == Role.DISCIPLINE_REVIEWER:
        return subtree_q(user, f"{prefix}org_path")
    own = Q(**{f"{prefix}logged_by_id": user.pk})
    if user.role == Role.FIC_LEADER:
        return own | subtree_q(user, f"{prefix}org_path")
    if user.role in OFFICIALS:
        return own
    return Q(pk__in=[])


def visible_entries(user) -> QuerySet[ContactEntry]:
    return ContactEntry.objects.filter(entry_q(user))


def visible_matters(user) -> QuerySet[Matter]:
    return Matter.objects.filter(entry_q(user, "entry__"))


def visible_conduct(user) -> QuerySet[ConductItem]:
    if not user.is_authenticated or not (user.has_perm(VIEW) or user.has_perm(MANAGE_LIST)):
        return ConductItem.objects.none()
    return ConductItem.objects.all()


def review_queue(user) -> QuerySet[ContactEntry]:
    """Flagged entries waiting for this reviewer's conclusion."""
    if not user.is_authenticated or not user.has_perm(REVIEW):
        return ContactEntry.objects.none()
    return visible_entries(user).filter(review_status="pending")


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_entry(user, pk) -> ContactEntry:
    return _get(visible_entries(user).select_related("logged_by", "org", "reviewed_by"), pk)


def get_matter(user, pk) -> Matter:
    return _get(visible_matters(user).select_related("entry", "enterprise", "department", "appeal"), pk)


def get_conduct(user, pk) -> ConductItem:
    return _get(visible_conduct(user), pk)


def can_edit(user, entry: ContactEntry) -> bool:
    return entry.logged_by_id == user.pk and user.has_perm(LOG) and entry.review_status != "concluded"


def can_appeal(user, entry: ContactEntry) -> bool:
    return entry.logged_by_id == user.pk and user.role in OFFICIALS


def can_review(user, entry: ContactEntry) -> bool:
    return user.has_perm(REVIEW) and entry.review_status == "pending"
