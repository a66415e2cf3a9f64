"""Who sees which financing data. Missing and forbidden look the same (404).

Amounts and the credit-check authorisation are personal/financial data, scoped to:
- the enterprise itself (its own needs);
- its FIC: staff and leaders of the node holding the need, and above (by the need's org_path);
- the banks it was pushed to: a bank officer sees only needs with a referral to their institution, and only
  those referrals (never another bank's stage or amounts);
- a chamber secretary: only the needs the chamber itself recommended (整会授信).
Bank products are public offerings: every signed-in role with VIEW_PRODUCTS reads the active ones.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from qinqing.core.permissions import subtree_q
from qinqing.core.roles import Role

from .models import BankProduct, FinancingNeed, FixTask, MatchEvent, NeedReferral, PushBatch

VIEW = "financing.view_need"
STATE = "financing.state_need"  # an enterprise states its own need
MANAGE = "financing.manage_need"  # FIC staff: collect, screen, lists, push, events, fix tasks, import
RECOMMEND = "financing.recommend_chamber"  # chamber secretary: 整会授信 batch
HANDLE = "financing.handle_referral"  # bank officer: outcomes, feedback import
PRODUCTS = "financing.manage_product"  # bank officer: own products
VIEW_PRODUCTS = "financing.view_product"
FIGURES = "financing.view_figures"
REASONS = "financing.manage_reasons"

GRANTS = {
    Role.FIC_STAFF: {VIEW, MANAGE, VIEW_PRODUCTS, FIGURES},
    Role.FIC_LEADER: {VIEW, VIEW_PRODUCTS, FIGURES},
    Role.ENTERPRISE: {VIEW, STATE, VIEW_PRODUCTS},
    Role.CHAMBER_SECRETARY: {VIEW, RECOMMEND, VIEW_PRODUCTS},
    Role.BANK_OFFICER: {VIEW, HANDLE, PRODUCTS, VIEW_PRODUCTS},
    Role.SYS_ADMIN: {REASONS},
}

FIC = (Role.FIC_STAFF, Role.FIC_LEADER)


def _can_view(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW)


def visible_referrals(user) -> QuerySet[NeedReferral]:
    if not _can_view(user):
        return NeedReferral.objects.none()
    qs = NeedReferral.objects.all()
    role = user.role
    if role in FIC:
        return qs.filter(subtree_q(user, "org_path"))
    if role == Role.BANK_OFFICER:
        return qs.filter(bank_id=user.org_id) if user.org_id else qs.none()
    if role == Role.ENTERPRISE:
        return qs.filter(need__enterprise_id=user.enterprise_id) if user.enterprise_id else qs.none()
    if role == Role.CHAMBER_SECRETARY:
        return qs.filter(need__chamber_id=user.org_id) if user.org_id else qs.none()
    return qs.none()


def visible_needs(user) -> QuerySet[FinancingNeed]:
    if not _can_view(user):
        return FinancingNeed.objects.none()
    qs = FinancingNeed.objects.all()
    role = user.role
    if role in FIC:
        return qs.filter(subtree_q(user, "org_path"))
    if role == Role.BANK_OFFICER:
        if not user.org_id:
            return qs.none()
        return qs.filter(pk__in=NeedReferral.objects.filter(bank_id=user.org_id).values("need_id"))
    if role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else qs.none()
    if role == Role.CHAMBER_SECRETARY:
        return qs.filter(chamber_id=user.org_id) if user.org_id else qs.none()
    return qs.none()


def visible_batches(user) -> QuerySet[PushBatch]:
    if not _can_view(user):
        return PushBatch.objects.none()
    qs = PushBatch.objects.all()
    if user.role in FIC:
        return qs.filter(subtree_q(user, "org_path"))
    if user.role == Role.BANK_OFFICER:
        return qs.filter(bank_id=user.org_id) if user.org_id else qs.none()
    if user.role == Role.CHAMBER_SECRETARY:
        return qs.filter(chamber_id=user.org_id) if user.org_id else qs.none()
    return qs.none()


def visible_events(user) -> QuerySet[MatchEvent]:
    if not _can_view(user):
        return MatchEvent.objects.none()
    qs = MatchEvent.objects.all()
    if user.role in FIC:
        return qs.filter(subtree_q(user, "org_path"))
    if user.role == Role.BANK_OFFICER:
        if not user.org_id:
            return qs.none()
        return qs.filter(
            pk__in=MatchEvent.banks.through.objects.filter(organization_id=user.org_id).values("matchevent_id")
        )
    if user.role == Role.ENTERPRISE:
        if not user.enterprise_id:
            return qs.none()
        through = MatchEvent.invited.through.objects.filter(enterprise_id=user.enterprise_id)
        return qs.filter(pk__in=through.values("matchevent_id"))
    return qs.none()


def visible_fix_tasks(user) -> QuerySet[FixTask]:
    if not _can_view(user):
        return FixTask.objects.none()
    qs = FixTask.objects.all()
    if user.role in FIC:
        return qs.filter(subtree_q(user, "org_path"))
    if user.role == Role.ENTERPRISE:
        return qs.filter(need__enterprise_id=user.enterprise_id) if user.enterprise_id else qs.none()
    if user.role == Role.BANK_OFFICER:
        return qs.filter(referral__bank_id=user.org_id) if user.org_id else qs.none()
    return qs.none()


def visible_products(user) -> QuerySet[BankProduct]:
    if not user.is_authenticated:
        return BankProduct.objects.none()
    if user.role == Role.BANK_OFFICER and user.has_perm(PRODUCTS):
        return BankProduct.objects.filter(Q(bank_id=user.org_id) | Q(is_active=True))
    if user.has_perm(VIEW_PRODUCTS):
        return BankProduct.objects.filter(is_active=True)
    return BankProduct.objects.none()


def own_products(user) -> QuerySet[BankProduct]:
    if not user.is_authenticated or not user.has_perm(PRODUCTS) or not user.org_id:
        return BankProduct.objects.none()
    return BankProduct.objects.filter(bank_id=user.org_id)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_need(user, pk) -> FinancingNeed:
    return _get(visible_needs(user).select_related("enterprise", "fic", "chamber"), pk)


def get_referral(user, pk) -> NeedReferral:
    return _get(visible_referrals(user).select_related("need", "need__enterprise", "bank", "refusal_reason"), pk)


def get_event(user, pk) -> MatchEvent:
    return _get(visible_events(user).select_related("fic"), pk)


def get_batch(user, pk) -> PushBatch:
    return _get(visible_batches(user).select_related("bank", "fic", "chamber"), pk)


def get_fix_task(user, pk) -> FixTask:
    return _get(visible_fix_tasks(user).select_related("need", "referral", "department", "appeal"), pk)


def get_product(user, pk) -> BankProduct:
    return _get(visible_products(user).select_related("bank"), pk)
