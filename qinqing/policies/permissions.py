"""Who may do what with policies, and the querysets every read goes through.

- Everyone signed in searches and reads published policies (they are public documents).
- FIC staff create and edit policies owned by their node or below; department liaisons those their own
  department issues. Drafts are seen only by those who may edit them.
- Matching results, exports and pushes: FIC staff (leaders read) for their subtree.
- An enterprise user sees 我的政策 for its own enterprise only.
- The rule builder's row endpoints (BUILD_RULE): every role that edits a rule-bearing object — policy editors
  (staff, liaisons), activity organisers (staff, chamber secretaries), survey builders (staff), bank officers
  (their products' eligibility conditions). They answer vocabulary and the user's own scope, never records.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .choices import PublishState
from .models import Policy, PolicyAttachment

BUILD_RULE = "policies.build_rule"

GRANTS = {
    Role.FIC_STAFF: {
        BUILD_RULE,
        "policies.view_policy",
        "policies.change_policy",
        "policies.view_matching",
        "policies.run_matching",
        "policies.push_policy",
        "policies.view_figures",
    },
    Role.FIC_LEADER: {"policies.view_policy", "policies.view_matching", "policies.view_figures"},
    Role.DEPT_LIAISON: {BUILD_RULE, "policies.view_policy", "policies.change_policy", "policies.view_matching"},
    Role.ENTERPRISE: {"policies.view_policy", "policies.view_my_policies"},
    Role.CHAMBER_SECRETARY: {BUILD_RULE, "policies.view_policy"},  # activity audiences
    Role.BANK_OFFICER: {BUILD_RULE, "policies.view_policy"},  # products' eligibility conditions
    Role.LAWYER: {"policies.view_policy"},
    Role.SYS_ADMIN: {"policies.manage_synonyms"},  # the search synonym table (检索同义词)
}


def editable_q(user) -> Q:
    """Editing and publishing follow the issuer's scope: a liaison edits its department's policies owned by
    its own FIC chain; staff edit policies of their subtree whose issuing department is theirs too (a policy
    naming another county's department is left to the level above both)."""
    if not user.is_authenticated or not user.has_perm("policies.change_policy") or not user.org_id:
        return Q(pk__in=[])
    if user.role == Role.DEPT_LIAISON:
        return Q(issuer_id=user.org_id, org_path__in=_ancestors(user.org.path))
    # "Issued in my subtree" through the issuer's path, not a list of the subtree's organisation ids: the search
    # index holds the issuer's path prefixes (search_index.ISSUER_SCOPE_FIELD), and no list has to be read from
    # the cache and compared on every search (issue 17); an organisation's path never changes.
    return subtree_q(user, "org_path") & (Q(issuer__isnull=True) | Q(issuer__path__startswith=user.org.path))


# The visibility querysets built in this process, by their rule (a Q hashes by its content, id lists included), so
# each search clones one instead of building the filter again (Django's add_q: ~0.2-0.4 ms of a search, issue 17).
# Never evaluated here, only cloned: each caller gets its own queryset. Emptied when it reaches VISIBLE_KEPT.
_visible: dict[Q, QuerySet[Policy]] = {}
VISIBLE_KEPT = 1024


def visible_policies(user) -> QuerySet[Policy]:
    if not user.is_authenticated or not user.has_perm("policies.view_policy"):
        return Policy.objects.none()
    rule = Q(state=PublishState.PUBLISHED) | editable_q(user)
    built = _visible.get(rule)
    if built is None:
        if len(_visible) >= VISIBLE_KEPT:
            _visible.clear()
        built = _visible[rule] = Policy.objects.filter(rule).select_related("issuer", "owner")
    return built.all()


def editable_policies(user) -> QuerySet[Policy]:
    return Policy.objects.filter(editable_q(user)).select_related("issuer", "owner")


def can_edit(user, policy: Policy) -> bool:
    return editable_policies(user).filter(pk=policy.pk).exists()


def matching_policies(user) -> QuerySet[Policy]:
    """Policies whose eligible lists the user may read: staff/leaders in their subtree, liaisons their own."""
    if not user.is_authenticated or not user.has_perm("policies.view_matching"):
        return Policy.objects.none()
    if user.role == Role.DEPT_LIAISON:
        return editable_policies(user)
    # Staff also list, for their own subtree, the enterprises eligible for policies of higher levels.
    above = Q(org_path__in=_ancestors(user.org.path)) if user.org_id else Q(pk__in=[])
    return Policy.objects.filter(subtree_q(user, "org_path") | above).select_related("issuer", "owner")


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def _get(queryset: QuerySet[Policy], pk) -> Policy:
    try:
        return queryset.get(pk=pk)
    except (Policy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_policy(user, pk) -> Policy:
    return _get(visible_policies(user), pk)


def get_editable_policy(user, pk) -> Policy:
    return _get(editable_policies(user), pk)


def get_attachment(user, policy_pk, pk) -> PolicyAttachment:
    """An attachment of a policy the user may read (a draft's files only within its editors' scope)."""
    policy = get_policy(user, policy_pk)
    try:
        return policy.attachments.select_related("policy").get(pk=pk)
    except (PolicyAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_editable_attachment(user, policy_pk, pk) -> PolicyAttachment:
    policy = get_editable_policy(user, policy_pk)
    try:
        return policy.attachments.select_related("policy").get(pk=pk)
    except (PolicyAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_matching_policy(user, pk) -> Policy:
    return _get(matching_policies(user), pk)


def scope_path(user) -> str:
    """The org subtree a staff user's matching covers (a liaison: the FIC its department belongs to)."""
    org = user.org
    if org is None:
        return "/nonexistent/"
    if user.role == Role.DEPT_LIAISON:
        return org.fic().path
    return org.path
