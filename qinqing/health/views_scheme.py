"""Scoring versions: list, a new draft (copied from a version), editing a draft, publishing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.permissions import requires

from . import actions, diagnosis, forms
from .choices import VersionStatus
from .indicators import DEFAULT_CONFIG
from .models import ScoringVersion
from .permissions import SCHEME, VIEW, get_version, visible_versions


@requires(VIEW)
def version_list(request):
    versions = visible_versions(request.user).select_related("created_by")[:100]
    return render(request, "health/versions.html", {"versions": versions, "can_edit": request.user.has_perm(SCHEME)})


@requires(VIEW)
def version_detail(request, pk: int):
    version = get_version(request.user, pk)
    view = diagnosis.scheme_rows(version.config)
    return render(request, "health/version_detail.html", {
        "version": version, "dimensions": view, "can_edit": request.user.has_perm(SCHEME),
        "is_draft": version.status == VersionStatus.DRAFT,
    })  # fmt: skip


def _edit(request, version: ScoringVersion | None, config: dict, name: str, note: str):
    initial = {"name": name, "note": note}
    form = forms.VersionForm(request.POST or None, config=config, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_version(actor=request.user, config=form.config(), name=form.cleaned_data["name"],
                                         note=form.cleaned_data["note"], version=version)  # fmt: skip
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("方案 %(version)s 已保存（草稿），启用后用于新的体检评分") % {"version": saved})
            return redirect("health:version_detail", saved.pk)
    return render(request, "health/version_form.html", {"form": form, "version": version})


@requires(SCHEME)
def version_new(request):
    source = None
    if (request.GET.get("from") or "").isdigit():
        source = visible_versions(request.user).filter(pk=int(request.GET["from"])).first()
    source = source or actions.active_version()
    config = source.config if source else DEFAULT_CONFIG
    name = _("%(name)s（修订）") % {"name": source.name} if source else _("默认方案")
    return _edit(request, None, config, name, "")


@requires(SCHEME)
def version_edit(request, pk: int):
    version = get_version(request.user, pk)
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("已启用或停用的方案不能修改，请另存为新版本"))
        return redirect("health:version_detail", version.pk)
    return _edit(request, version, version.config, version.name, version.note)


@requires(SCHEME)
@require_POST
def version_publish(request, pk: int):
    version = get_version(request.user, pk)
    try:
        actions.publish_version(version, actor=request.user)
    except (Refused, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("方案 %(version)s 已启用") % {"version": version})
    return redirect("health:version_detail", version.pk)
