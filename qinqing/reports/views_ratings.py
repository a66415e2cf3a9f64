"""五好县级工商联 ratings: the list of a reader's subtree; city and province FIC staff record and remove them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core.errors import Refused
from qinqing.core.permissions import requires

from . import actions
from .forms import FicRatingForm
from .models import FicRating
from .permissions import MANAGE, VIEW, scoped, visible_nodes


def _rateable(user):
    """FIC nodes strictly below the user's own (the action checks the rest of the scope)."""
    own = getattr(user, "org", None)
    if own is None:
        return visible_nodes(user).none()
    return visible_nodes(user).exclude(pk=own.pk).only("code", "name", "path").order_by("path")[:500]


@requires(VIEW)
def rating_list(request):
    nodes = list(_rateable(request.user)) if request.user.has_perm(MANAGE) else []
    form = FicRatingForm(request.POST or None, nodes=nodes)
    if request.method == "POST":
        if not nodes:
            raise Http404
        if form.is_valid():
            org = next(n for n in nodes if n.code == form.cleaned_data["org"])
            try:
                actions.record_fic_rating(
                    org,
                    actor=request.user,
                    level=form.cleaned_data["level"],
                    year=form.cleaned_data["year"],
                    benchmark=form.cleaned_data["benchmark"],
                )
            except Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已记录 %(name)s 的评定") % {"name": org.name})
                return redirect("reports:fic_ratings")
    ratings = scoped(request.user, FicRating).select_related("org")[:500]
    return render(request, "reports/fic_ratings.html", {"ratings": ratings, "form": form, "can_rate": bool(nodes)})


@requires(MANAGE)
def rating_remove(request, pk: int):
    rating = scoped(request.user, FicRating).filter(pk=pk).first()
    if rating is None:
        raise Http404
    if request.method != "POST":
        return redirect("reports:fic_ratings")
    try:
        actions.remove_fic_rating(rating, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除评定"))
    return redirect("reports:fic_ratings")
