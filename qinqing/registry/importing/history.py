"""An enterprise's import history, from the batch audit rows of the enterprise import.

Each committed batch writes one ``registry.import_enterprises`` audit row (never one per enterprise):
its ``after`` holds the id ranges it created and updated (``created_ids``/``updated_ids``, e.g.
"101-10100 10240"), per changed field the ids it changed (``changed_fields``), per year the ids whose
yearly figures changed (``changed_years``), the lowest/highest id written (``id_min``/``id_max``) and the
import job (``job_id``). One query finds the batches whose id span covers the enterprise, reading only
those keys (not the long credit-code lists); the ranges decide exactly.
"""

import datetime
from typing import NamedTuple

from django.utils.translation import gettext as _

from qinqing.core.idranges import in_ranges
from qinqing.core.models import AuditEntry

from .columns import ENTERPRISE_COLUMNS

ACTION = "registry.import_enterprises"
LABELS = {c.key: c.label for c in ENTERPRISE_COLUMNS}


class ImportChange(NamedTuple):
    when: datetime.datetime
    actor: str  # the importing account's username ("system" when none)
    job_id: int | None  # the import job (None: a command-line import)
    kind: str  # "新增" or "更新"
    columns: list[str]  # the changed columns' headers (empty for 新增), e.g. ["营业收入（万元）", "2025年度数据"]


def import_history_for(enterprise) -> list[ImportChange]:
    """Every committed import that created or changed ``enterprise``, oldest first.

    The caller has already fetched the enterprise through ``permissions``; audit rows are read only to
    describe that enterprise."""
    pk = enterprise.pk
    rows = (
        AuditEntry.objects.filter(action=ACTION, after__id_min__lte=pk, after__id_max__gte=pk)
        .order_by("created_at", "id")
        .values_list(
            "created_at",
            "actor_name",
            "after__job_id",
            "after__created_ids",
            "after__updated_ids",
            "after__changed_fields",
            "after__changed_years",
        )
    )
    history = []
    for when, actor, job_id, created, updated, fields, years in rows:
        if in_ranges(pk, created):
            history.append(ImportChange(when, actor, job_id, _("新增"), []))
        elif in_ranges(pk, updated):
            columns = [str(LABELS.get(key, key)) for key, ids in (fields or {}).items() if in_ranges(pk, ids)]
            columns += [
                _("%(year)s年度数据") % {"year": year}
                for year, ids in sorted((years or {}).items())
                if in_ranges(pk, ids)
            ]
            history.append(ImportChange(when, actor, job_id, _("更新"), columns))
    return history
