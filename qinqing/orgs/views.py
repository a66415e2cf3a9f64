"""Organisation pages: the FIC tree of the user's subtree, one organisation, and the 系统管理员's forms."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core.permissions import requires

from . import actions, regions
from .choices import OrgKind
from .forms import OrganizationCreateForm, OrganizationEditForm, add_action_errors
from .permissions import counted_users, get_changeable_org, get_org, visible_orgs
from .tree import fic_rows, subtree_counts


@requires("orgs.view_organization")
def org_tree(request):
    """Every FIC node in the user's subtree, indented, with what hangs below each."""
    orgs = visible_orgs(request.user)
    fics = orgs.filter(kind=OrgKind.FIC)
    q = request.GET.get("q", "").strip()
    if q:
        fics = fics.filter(Q(name__icontains=q) | Q(region_code__startswith=q))
    page = Paginator(fics.order_by("path"), 100).get_page(request.GET.get("page"))
    counts = subtree_counts(orgs, counted_users(request.user))
    context = {
        "page": page,
        "rows": fic_rows(list(page), counts),
        "q": q,
        "can_change": request.user.has_perm("orgs.change_organization"),
    }
    template = "orgs/partials/_tree_rows.html" if request.htmx else "orgs/org_tree.html"
    return render(request, template, context)


@requires("orgs.view_organization")
def org_detail(request, pk: int):
    org = get_org(request.user, pk)
    children = visible_orgs(request.user).filter(parent=org)
    kind = request.GET.get("kind", "")
    if kind in OrgKind.values:
        children = children.filter(kind=kind)
    page = Paginator(children.order_by("kind", "path"), 50).get_page(request.GET.get("page"))
    counts = subtree_counts(visible_orgs(request.user).filter(path__startswith=org.path), counted_users(request.user))
    context = {
        "org": org,
        "page": page,
        "kind": kind,
        "kinds": OrgKind.choices,
        "counts": counts.get(org.path, {}),
        "region_name": regions.full_name(org.region_code),
        "parent_visible": org.parent_id is not None and org.parent.path.startswith(request.user.org.path),
        "can_change": request.user.has_perm("orgs.change_organization"),
    }
    template = "orgs/partials/_children.html" if request.htmx else "orgs/org_detail.html"
    return render(request, template, context)


@requires("orgs.change_organization")
def org_create(request):
    form = OrganizationCreateForm(
        request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = actions.create_organization(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新增组织“%(name)s”") % {"name": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "title": _("新增组织")})


@requires("orgs.change_organization")
def org_edit(request, pk: int):
    org = get_changeable_org(request.user, pk)
    form = OrganizationEditForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        org.refresh_from_db()  # the form wrote its values onto the instance; the action compares from the saved row
        try:
            if changes:
                actions.update_organization(org, actor=request.user, **changes)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”") % {"name": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(
        request, "orgs/org_form.html", {"form": form, "title": _("修改 %(name)s") % {"name": org.name}, "org": org}
    )
