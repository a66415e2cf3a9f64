"""Import jobs: store an upload and start its preview or commit in the background; refuse a preview."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit

from ..common import _require


def start_import(
    *,
    actor,
    kind: str,
    upload=None,
    stored_name: str = "",
    filename: str = "",
    dry_run: bool = True,
    strict: bool = False,
):
    """Store the uploaded file and start a preview (dry run) or commit job for it."""
    import uuid

    from qinqing.core.jobs import start_job

    from ..tasks import import_registry_file, upload_name

    _require(actor, "registry.import_registry")
    if upload is not None:
        suffix = upload.name.rsplit(".", 1)[-1].lower()
        stored_name = f"{uuid.uuid4().hex}.{suffix}"
        filename = upload.name
        default_storage.save(upload_name(stored_name), upload)  # a directory or object storage (settings)
    from .runner import TITLES

    values = {"title": TITLES[kind], "filename": filename}
    title = _("预检%(title)s：%(filename)s") % values if dry_run else _("导入%(title)s：%(filename)s") % values
    return start_job(
        "registry.import_preview" if dry_run else "registry.import_commit",
        title,
        user=actor,
        params={
            "kind": kind,
            "stored_name": stored_name,
            "filename": filename,
            "org_id": actor.org_id,
            "user_id": actor.pk,
            "dry_run": dry_run,
            "strict": strict,
        },
        task=import_registry_file,
    )


@transaction.atomic
def refuse_import(job, *, actor) -> None:
    """The clerk refuses the whole file: nothing is written and the upload is deleted."""
    from ..tasks import upload_name

    _require(actor, "registry.import_registry")
    default_storage.delete(upload_name(job.params["stored_name"]))
    job.result = {**job.result, "refused": True}
    job.message = _("已拒绝整个文件，未写入任何数据")
    job.save(update_fields=["result", "message", "updated_at"])
    audit.record("registry.refuse_import", obj=job, actor=actor, message=job.params.get("filename", ""))
