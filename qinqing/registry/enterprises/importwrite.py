"""Enterprise import, last step: a planned batch (``importing.BatchPlan``) sealed, staged and written.

``prepare_batch`` seals the personal numbers and stages the rows (the runner runs it on a thread of its own);
``write_batch`` inserts and updates inside the batch's transaction; ``audit_summary`` names what was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from django.utils import timezone

from qinqing.core import crypto, home_versions
from qinqing.core.idranges import expand_ranges, id_ranges

from .. import rollups
from ..importing import sqlwrite
from ..models import Enterprise, EnterpriseYearFigures
from .importcheck import BLIND_INDEX, ENTERPRISE_FIELDS, PII_FIELDS

if TYPE_CHECKING:
    from .importing import BatchPlan


def _sealed(frame: pl.DataFrame) -> pl.DataFrame:
    """The personal numbers of the rows about to be written, sealed column by column (values kept from
    the database are sealed already and pass through; equal numbers in a batch share one token, as their
    blind indexes already show them equal)."""
    if not frame.height:
        return frame
    return frame.with_columns(
        pl.Series(f, crypto.seal_many(frame[f].to_list(), share_equal=True), dtype=pl.String) for f in PII_FIELDS
    )


def _seal(plan: BatchPlan) -> None:
    if not plan.sealed:
        plan.inserts, plan.updates, plan.sealed = _sealed(plan.inserts), _sealed(plan.updates), True


def prepare_batch(plan: BatchPlan, staging: sqlwrite.Staging | None) -> list:
    """What a batch needs after its plan and before its transaction: its personal numbers sealed and, with
    ``staging``, its rows staged (``stage_batch``). The runner runs this on a thread of its own, between
    the planning of the next batch and the writing of the one before. Returns ``stage_batch``'s list."""
    _seal(plan)
    return stage_batch(plan, staging) if staging is not None else []


def changed_enterprise_ids(plan: BatchPlan) -> list[int]:
    """The enterprises a written batch created or changed (their policy eligibility may have changed)."""
    return expand_ranges(plan.created_ids) + expand_ranges(plan.updated_ids)


def _frames(plan: BatchPlan) -> dict[str, pl.DataFrame]:
    """What the batch writes: new and changed enterprises (columns named as the table's), new yearly
    figures (with the credit code that finds a new enterprise's id once it is written), changed ones."""
    columns = {f: Enterprise._meta.get_field(f).column for f in (*ENTERPRISE_FIELDS, *BLIND_INDEX.values())}
    return {
        "inserts": plan.inserts.rename(columns),
        "updates": plan.updates.rename(columns),
        "new_figures": plan.new_figures,
        "changed_figures": plan.changed_figures,
    }


def stage_batch(plan: BatchPlan, staging: sqlwrite.Staging) -> list:
    """While an earlier batch is being written: the rows this batch's statements will read
    (``sqlwrite.Staging``). Returns what ``sqlwrite.attached`` must attach around the batch's transaction."""
    _seal(plan)
    tables = {
        "inserts": Enterprise._meta.db_table,
        "updates": Enterprise._meta.db_table,
        "new_figures": EnterpriseYearFigures._meta.db_table,
        "changed_figures": EnterpriseYearFigures._meta.db_table,
    }
    plan.staged = {}
    for name, frame in _frames(plan).items():
        if name == "new_figures":
            frame = plan.new_figures = _with_drawn_ids(plan.new_figures, plan.inserts, plan.staged["inserts"])
        plan.staged[name] = staging.stage(tables[name], frame, ids=name == "inserts")
    return list(plan.staged.values())


def _with_drawn_ids(figures: pl.DataFrame, inserts: pl.DataFrame, staged) -> pl.DataFrame:
    """New yearly figures of new enterprises get the ids drawn when the enterprises were staged (PostgreSQL),
    so the INSERT … SELECT need not look each one up by credit code (it still does where none was drawn)."""
    if staged is None or staged.ids is None or not figures.height:
        return figures
    drawn = pl.DataFrame({"credit_code": inserts["credit_code"], "__id": staged.ids})
    return (
        figures.join(drawn, on="credit_code", how="left", maintain_order="left")
        .with_columns(pl.coalesce("enterprise_id", "__id").alias("enterprise_id"))
        .drop("__id")
    )


def write_batch(plan: BatchPlan) -> None:
    """Insert new enterprises, update changed ones (import never moves one between FICs), then the
    yearly figures. Call inside a transaction."""
    _seal(plan)  # done already when the runner prepared the batch
    moment = timezone.now()
    now = sqlwrite.now_text(moment)
    table = Enterprise._meta.db_table
    frames, staged = _frames(plan), plan.staged
    new_ids = sqlwrite.insert(table, frames["inserts"], now, ids=True, staged=staged.get("inserts"))
    created = new_ids.to_list()
    plan.created_ids = id_ranges(created)
    # The registry rollup, in the batch's transaction, from the rows just written (all stamped ``moment``).
    rollups.count_new_enterprises(moment, _by_path(plan.inserts))
    if created:
        span = [*created, *plan.id_span]
        plan.id_span = (min(span), max(span))
    sqlwrite.update(table, frames["updates"], ["id"], now, staged=staged.get("updates"))
    figures = EnterpriseYearFigures._meta.db_table
    if plan.new_figures.height:
        known = pl.DataFrame({"credit_code": plan.inserts["credit_code"], "id": new_ids})
        sqlwrite.insert(
            figures,
            frames["new_figures"],
            now,
            staged=staged.get("new_figures"),
            fill=("enterprise_id", "credit_code", table, known),
        )
    keys = ["enterprise_id", "year"]
    sqlwrite.update(figures, frames["changed_figures"], keys, now, staged=staged.get("changed_figures"))
    # Bulk statements send no signal: the home cards counting enterprises and their figures recount after the commit.
    if plan.inserts.height or frames["updates"].height:
        home_versions.changed("registry.Enterprise")
    if plan.new_figures.height or frames["changed_figures"].height:
        home_versions.changed("registry.EnterpriseYearFigures")


def _by_path(inserts: pl.DataFrame) -> dict[str, int]:
    if not inserts.height:
        return {}
    return dict(inserts.group_by("org_path").len().iter_rows())


def audit_summary(plan: BatchPlan) -> dict:
    """The batch's audit row names every enterprise and yearly figure written (space-separated, so a
    search for one code finds it without the audit serialising thousands of list items)."""
    return {
        "new": plan.new,
        "updated": plan.updated,
        "credit_codes": plan.written,
        "figures": plan.figures_written,
        "created_ids": plan.created_ids,
        "updated_ids": plan.updated_ids,
        "changed_fields": plan.changed_fields,
        "changed_years": plan.changed_years,
        "id_min": plan.id_span[0] if plan.id_span else None,
        "id_max": plan.id_span[1] if plan.id_span else None,
    }
