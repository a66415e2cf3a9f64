"""Import pages: upload, the job with its preview and progress, errors.csv, templates."""

import io

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from qinqing.core.permissions import requires

from .. import actions, permissions
from ..exporting import EXPORTS, template_rows, write_xlsx
from ..forms import (
    ImportForm,
)
from ..importing.runner import TITLES
from ..tasks import errors_name
from ..viewkit import _done


@requires("registry.import_registry")
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = actions.start_import(actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        return _done(request, f"/registry/import/{job.pk}/")
    jobs = permissions.visible_import_jobs(request.user)[:10]
    return render(request, "registry/import_start.html", {"form": form, "jobs": jobs})


@requires("registry.import_registry")
def import_job(request, pk: int):
    job = permissions.get_import_job(request.user, pk)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if (
            not job.finished
            or job.kind != "registry.import_preview"
            or job.result.get("refused")
            or job.result.get("fatal")
        ):
            raise Http404
        if decision == "refuse":
            actions.refuse_import(job, actor=request.user)
            messages.info(request, _("已拒绝整个文件"))
            return _done(request, f"/registry/import/{job.pk}/")
        if decision == "commit":
            commit = actions.start_import(
                actor=request.user,
                kind=job.params["kind"],
                stored_name=job.params["stored_name"],
                filename=job.params["filename"],
                dry_run=False,
            )
            return _done(request, f"/registry/import/{commit.pk}/")
        raise Http404
    template = "registry/partials/_import_result.html" if request.htmx else "registry/import_job.html"
    return render(request, template, {"job": job, "r": job.result})


@requires("registry.import_registry")
def import_errors(request, pk: int):
    job = permissions.get_import_job(request.user, pk)
    name = errors_name(job.pk)
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=_("导入错误-%(id)s.csv") % {"id": job.pk}
    )


@requires("registry.import_registry")
def import_template(request, kind: str):
    if kind not in EXPORTS:
        raise Http404
    columns, _rows = EXPORTS[kind]
    buffer = io.BytesIO()
    write_xlsx(columns, template_rows(columns), buffer, example=True)
    buffer.seek(0)
    name = _("%(title)s导入模板.xlsx") % {"title": TITLES[kind]}
    return FileResponse(buffer, as_attachment=True, filename=name)
