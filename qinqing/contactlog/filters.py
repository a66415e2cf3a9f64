"""The one filter of the entry list, shared by the page and the API (bad parameters: BadInput naming the field)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from qinqing.core.badinput import BadInput, date_param

from .choices import Purpose, ReviewStatus


def filter_entries(qs: QuerySet, params, user=None) -> QuerySet:
    purpose = (params.get("purpose") or "").strip()
    if purpose:
        if purpose not in Purpose.values:
            raise BadInput(_("“事由”不是可选的值：%(value)s") % {"value": purpose[:40]})
        qs = qs.filter(purpose=purpose)
    review = (params.get("review") or "").strip()
    if review:
        if review == "flagged":
            qs = qs.filter(is_flagged=True)
        elif review in (ReviewStatus.PENDING, ReviewStatus.CONCLUDED):
            qs = qs.filter(review_status=review)
        else:
            raise BadInput(_("“审查状态”不是可选的值：%(value)s") % {"value": review[:40]})
    start = date_param(params, "from", _("起始日期"))
    end = date_param(params, "to", _("截止日期"))
    if start and end and start > end:
        raise BadInput(_("“截止日期”不能早于起始日期"))
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if params.get("mine") == "1" and user is not None:
        qs = qs.filter(logged_by_id=user.pk)
    return qs
