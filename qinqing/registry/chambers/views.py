"""Chamber pages: details and party organisation, leadership terms (换届), ratings, branches.

Thin: objects come from ``permissions`` (another node's chamber answers 404, so does one the user may see
but not change), forms validate, ``actions_chambers`` write and audit.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.permissions import requires

from .. import permissions, statistics
from ..filters import ChamberFilter
from ..forms import BranchForm, ChamberCreateForm, ChamberForm, RatingForm, TermForm
from ..viewkit import _done, _export, _form, _history, _page, _post_only, _save
from . import actions as actions_chambers


def _url(chamber_id: int) -> str:
    return f"/registry/chambers/{chamber_id}/"


def _changeable(request, pk: int):
    chamber = permissions.get_chamber(request.user, pk)
    if not permissions.can_change_chamber(request.user, chamber):
        raise Http404
    return chamber


@requires("registry.view_chamber")
def chamber_list(request):
    qs = permissions.visible_chambers(request.user).select_related("organization")
    filterset = ChamberFilter(request.GET, queryset=qs)
    if request.GET.get("export"):
        return _export(request, "chambers", filterset.qs, _("商会名录"))
    page = _page(request, filterset.qs)
    template = "registry/partials/_chamber_rows.html" if request.htmx else "registry/chamber_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@requires("registry.change_chamber")
def chamber_create(request):
    """Register a chamber of the user's subtree: an existing chamber node, or a new one under an FIC."""
    user = request.user
    form = ChamberCreateForm(
        request.POST or None,
        organizations=permissions.unregistered_chamber_orgs(user),
        fics=permissions.chamber_parents(user),
        initial={"registration_status": "registered", "party_members": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["organization"] is not None:
                chamber = actions_chambers.register_chamber(data["organization"], actor=user, **form.chamber_fields())
            else:
                chamber = actions_chambers.create_chamber(
                    actor=user,
                    fic=data["fic"],
                    name=data["name"],
                    region_code=data["region_code"],
                    **form.chamber_fields(),
                )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("已登记商会"))
            return _done(request, _url(chamber.pk))
    return _form(request, form, _("登记商会"))


@requires("registry.view_chamber")
def chamber_detail(request, pk: int):
    chamber = permissions.get_chamber(request.user, pk)
    members = permissions.visible_members(request.user).filter(organization_id=chamber.organization_id)
    return render(
        request,
        "registry/chamber_detail.html",
        {
            "c": chamber,
            "terms": chamber.terms.all(),
            "ratings": chamber.ratings.all(),
            "branches": chamber.branches.all(),
            "member_count": members.count(),
            "members": members.select_related("enterprise", "group")[:20],
            "can_edit": permissions.can_change_chamber(request.user, chamber),
            "can_rate": permissions.can_rate_chamber(request.user, chamber),
            "history": _history(chamber),
        },
    )


@requires("registry.view_chamber")
def chamber_edit(request, pk: int):
    """Details and party organisation (established? party members)."""
    chamber = _changeable(request, pk)
    form = ChamberForm(
        request.POST or None,
        initial={f: getattr(chamber, f) for f in ChamberForm.base_fields},
        law_firms=permissions.law_firms_for(chamber),
    )
    return _save(
        request,
        form,
        _("修改：%(name)s") % {"name": chamber},
        lambda data: actions_chambers.update_chamber(chamber, actor=request.user, **data),
        _("已保存"),
        _url(chamber.pk),
    )


# --- terms --------------------------------------------------------------------------------------


@requires("registry.view_chamber")
def chamber_term(request, pk: int):
    chamber = _changeable(request, pk)
    return _save(
        request,
        TermForm(request.POST or None),
        _("登记换届：%(name)s") % {"name": chamber},
        lambda data: actions_chambers.start_term(chamber, actor=request.user, **data),
        _("已登记换届"),
        _url(chamber.pk),
    )


def _changeable_part(request, getter, pk: int):
    part = getter(request.user, pk)
    if not permissions.can_change_chamber(request.user, part.chamber):
        raise Http404
    return part


@requires("registry.view_chamber")
def term_edit(request, pk: int):
    term = _changeable_part(request, permissions.get_term, pk)
    form = TermForm(request.POST or None, initial=TermForm.initial_of(term))
    return _save(
        request,
        form,
        _("修改第%(number)s届：%(name)s") % {"number": term.number, "name": term.chamber},
        lambda data: actions_chambers.update_term(term, actor=request.user, **data),
        _("已保存届次"),
        _url(term.chamber_id),
    )


@requires("registry.view_chamber")
def term_remove(request, pk: int):
    term = _changeable_part(request, permissions.get_term, pk)
    if refused := _post_only(request):
        return refused
    try:
        actions_chambers.remove_term(term, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除第%(number)s届") % {"number": term.number})
    return _done(request, _url(term.chamber_id))


@requires("registry.view_chamber")
def term_due(request):
    chambers = statistics.term_due(
        permissions.visible_chambers(request.user).select_related("organization"), timezone.localdate()
    )
    return render(request, "registry/term_due.html", {"chambers": chambers, "today": timezone.localdate()})


# --- ratings ------------------------------------------------------------------------------------


@requires("registry.change_chamber")
def rating_add(request, pk: int):
    chamber = permissions.get_chamber(request.user, pk)
    if not permissions.can_rate_chamber(request.user, chamber):
        raise Http404
    return _save(
        request,
        RatingForm(request.POST or None, initial={"year": timezone.localdate().year}),
        _("登记评定：%(name)s") % {"name": chamber},
        lambda data: actions_chambers.add_rating(chamber, actor=request.user, **data),
        _("已登记评定"),
        _url(chamber.pk),
    )


@requires("registry.change_chamber")
def rating_remove(request, pk: int):
    rating = permissions.get_rating(request.user, pk)
    if not permissions.can_rate_chamber(request.user, rating.chamber):
        raise Http404
    if refused := _post_only(request):
        return refused
    actions_chambers.remove_rating(rating, actor=request.user)
    messages.success(request, _("已删除评定：%(rating)s") % {"rating": rating})
    return _done(request, _url(rating.chamber_id))


# --- branches -----------------------------------------------------------------------------------


@requires("registry.view_chamber")
def branch_add(request, pk: int):
    chamber = _changeable(request, pk)
    return _save(
        request,
        BranchForm(request.POST or None),
        _("添加联络站：%(name)s") % {"name": chamber},
        lambda data: actions_chambers.add_branch(chamber, actor=request.user, **data),
        _("已添加联络站"),
        _url(chamber.pk),
    )


@requires("registry.view_chamber")
def branch_edit(request, pk: int):
    branch = _changeable_part(request, permissions.get_branch, pk)
    return _save(
        request,
        BranchForm(request.POST or None, initial=BranchForm.initial_of(branch)),
        _("修改联络站：%(name)s") % {"name": branch},
        lambda data: actions_chambers.update_branch(branch, actor=request.user, **data),
        _("已保存联络站"),
        _url(branch.chamber_id),
    )


@requires("registry.view_chamber")
def branch_remove(request, pk: int):
    branch = _changeable_part(request, permissions.get_branch, pk)
    if refused := _post_only(request):
        return refused
    actions_chambers.remove_branch(branch, actor=request.user)
    messages.success(request, _("已删除联络站：%(name)s") % {"name": branch})
    return _done(request, _url(branch.chamber_id))
