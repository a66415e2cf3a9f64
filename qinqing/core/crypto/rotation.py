"""Key rotation as a resumable background job (``manage.py rotate_keys``).

To rotate: add the new data key (and/or index key) to the key file or QINQING_DATA_KEYS /
QINQING_INDEX_KEYS and make it current, keeping the old ones; run ``rotate_keys``; when it reports
every column under the new key ids, remove the old keys. During the job, old values still open (their
key id is stored with them) and lookups match blind indexes under every configured index key.

The job walks every sealed column in id order, one batch per transaction; each batch commits with the
job's checkpoint (column number, last id), so a killed worker's job resumes after the last committed
batch (``resume_jobs``, run by ``run_worker``). A row already under the current keys is not rewritten.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from qinqing.core import audit
from qinqing.core.jobs import JobRunner, job_task

from . import columns, provider

KIND = "core.rotate_keys"


def run_rotation(run: JobRunner) -> dict:
    cols = columns.sealed_columns()
    batch = int(run.params.get("batch") or columns.BATCH)
    state = run.checkpoint
    rewritten = int(state.get("rewritten", 0))
    start_column = int(state.get("column", 0))
    run.progress(start_column, len(cols), _("正在轮换密钥"), force=True)
    for number, col in enumerate(cols):
        if number < start_column:
            continue
        after = int(state.get("after", 0)) if number == start_column else 0
        batches = columns.rotate_batches(col, after=after, batch=batch)
        while True:
            with transaction.atomic():
                step = next(batches, None)
                if step is None:
                    break
                after, count = step
                rewritten += count
                run.save_checkpoint({"column": number, "after": after, "rewritten": rewritten})
        run.save_checkpoint({"column": number + 1, "after": 0, "rewritten": rewritten}, done=number + 1)
    p = provider()
    result = {
        "rewritten": rewritten,
        "data_key": p.current_data_key_id(),
        "index_key": p.index_keys()[0][0],
        "columns": {col.label: columns.key_census(col) for col in cols},
    }
    audit.record(
        "core.rotate_keys",
        obj=run.job,
        actor=run.job.created_by,
        after={"rewritten": rewritten, "data_key": result["data_key"], "index_key": result["index_key"]},
    )
    return result


@task()
@job_task
def rotate_keys(run: JobRunner) -> dict:
    return run_rotation(run)
