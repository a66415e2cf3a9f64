"""The only writers of report records: summaries (save, finalise, reopen), published ranking lists,
参政议政 outputs. Each is atomic and writes its own audit row."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.errors import Refused

from . import rankings, summary
from .choices import AdoptionLevel, OutputKind, RatingLevel, SummaryState
from .models import AdvisoryOutput, AnnualSummary, FicRating, RankingList

MAX_SQMY_CHARS = 1500


def _check_texts(texts: dict) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, text in texts.items():
        if key not in summary.ALL_SECTIONS:
            raise Refused(_("未知的总结部分：%(key)s") % {"key": key})
        text = (text or "").strip()
        for cited in summary.cited(text):
            if not summary.is_registered(cited):
                raise Refused(
                    _("“%(section)s”中引用的指标 {{%(key)s}} 不存在")
                    % {"section": summary.ALL_SECTIONS[key], "key": cited}
                )
        clean[key] = text
    return clean


@transaction.atomic
def save_summary(node, year: int, *, actor, texts: dict[str, str]) -> AnnualSummary:
    """Create or update the draft text of a node's summary for a year."""
    obj, _created = AnnualSummary.objects.select_for_update().get_or_create(
        org=node, year=year, defaults={"org_path": node.path, "created_by": actor}
    )
    if obj.state == SummaryState.FINAL:
        raise Refused(_("总结已定稿，如需修改请先撤销定稿"))
    before = dict(obj.texts)
    obj.texts = {**summary.draft(node, year), **before, **_check_texts(texts)}
    obj.save(update_fields=["texts", "updated_at"])
    audit.record("reports.summary_save", obj=obj, actor=actor, before={"texts": before}, after={"texts": obj.texts})
    return obj


@transaction.atomic
def finalise_summary(obj: AnnualSummary, *, actor) -> AnnualSummary:
    obj = AnnualSummary.objects.select_for_update().get(pk=obj.pk)
    if obj.state == SummaryState.FINAL:
        raise Refused(_("总结已定稿"))
    node = obj.org
    if not obj.texts:
        obj.texts = summary.draft(node, obj.year)
    obj.snapshot = summary.snapshot_of(node, obj.year, obj.texts)
    obj.state = SummaryState.FINAL
    obj.finalised_at = timezone.now()
    obj.finalised_by = actor
    obj.save(update_fields=["texts", "snapshot", "state", "finalised_at", "finalised_by", "updated_at"])
    audit.record("reports.summary_finalise", obj=obj, actor=actor, after={"values": obj.snapshot["values"]})
    return obj


@transaction.atomic
def reopen_summary(obj: AnnualSummary, *, actor) -> AnnualSummary:
    obj = AnnualSummary.objects.select_for_update().get(pk=obj.pk)
    if obj.state != SummaryState.FINAL:
        raise Refused(_("总结尚未定稿"))
    obj.state = SummaryState.DRAFT
    obj.finalised_at = None
    obj.save(update_fields=["state", "finalised_at", "updated_at"])
    audit.record("reports.summary_reopen", obj=obj, actor=actor, before={"state": "final"}, after={"state": "draft"})
    return obj


@transaction.atomic
def publish_ranking(node, *, actor, metric: str, year: int, top: int) -> RankingList:
    """Freeze an N强 list as computed now: its entries, rule, note and data date."""
    r = rankings.compute(metric, year, top, node.path)
    obj = RankingList.objects.create(
        org=node,
        org_path=node.path,
        metric=metric,
        year=year,
        top=top,
        title=f"{node.name}{r.title}",
        rule=r.rule(),
        note=r.note(),
        value_header=r.value_header,
        data_date=r.data_date,
        entries=[
            {
                "rank": e["rank"],
                "credit_code": e["credit_code"],
                "name": e["name"],
                "value": rankings.format_value(e["value"]),
            }
            for e in r.entries
        ],
        published_by=actor,
    )
    audit.record("reports.ranking_publish", obj=obj, actor=actor, after={"metric": metric, "year": year, "top": top,
                 "entries": len(obj.entries)})  # fmt: skip
    return obj


OUTPUT_FIELDS = [
    "kind", "proposal_type", "session", "number", "title", "authors", "units", "body", "submitted_on", "submitted_to",
    "filed", "key_supervised", "adoption_levels", "adopted_on", "instruction_level", "instruction_note", "award",
]  # fmt: skip


def _check_output(data: dict) -> None:
    if not (data.get("title") or "").strip():
        raise Refused(_("请填写标题"))
    if data.get("kind") not in OutputKind.values:
        raise Refused(_("类别无效"))
    codes = [c for c in (data.get("adoption_levels") or "").split(",") if c]
    bad = [c for c in codes if c not in AdoptionLevel.values]
    if bad:
        raise Refused(_("采用层级无效：%(codes)s") % {"codes": "、".join(bad)})
    data["adoption_levels"] = ",".join(dict.fromkeys(codes))
    if data.get("kind") == OutputKind.SQMY and len(data.get("body") or "") > MAX_SQMY_CHARS:
        raise Refused(
            _("社情民意信息正文不超过%(n)s字（现%(len)s字）") % {"n": MAX_SQMY_CHARS, "len": len(data["body"])}
        )
    if data.get("kind") != OutputKind.PROPOSAL and (data.get("filed") or data.get("key_supervised")):
        raise Refused(_("只有提案才有立案和重点督办"))


@transaction.atomic
def record_output(node, *, actor, attachment=None, **data) -> AdvisoryOutput:
    data = {k: v for k, v in data.items() if k in OUTPUT_FIELDS}
    data.setdefault("submitted_on", timezone.localdate())
    _check_output(data)
    obj = AdvisoryOutput(org=node, org_path=node.path, created_by=actor, **data)
    if attachment is not None:
        obj.attachment = attachment
    obj.save()
    audit.record("reports.output_create", obj=obj, actor=actor, after=audit.snapshot(obj, OUTPUT_FIELDS))
    return obj


@transaction.atomic
def update_output(obj: AdvisoryOutput, *, actor, attachment=None, **data) -> AdvisoryOutput:
    obj = AdvisoryOutput.objects.select_for_update().get(pk=obj.pk)
    before = audit.snapshot(obj, OUTPUT_FIELDS)
    merged = {**before, **{k: v for k, v in data.items() if k in OUTPUT_FIELDS}}
    if isinstance(merged.get("submitted_on"), str):
        merged["submitted_on"] = dt.date.fromisoformat(merged["submitted_on"])
    if isinstance(merged.get("adopted_on"), str):
        merged["adopted_on"] = dt.date.fromisoformat(merged["adopted_on"]) if merged["adopted_on"] else None
    _check_output(merged)
    for k, v in merged.items():
        setattr(obj, k, v)
    if attachment is not None:
        obj.attachment = attachment
    obj.save()
    audit.record("reports.output_update", obj=obj, actor=actor, before=before, after=audit.snapshot(obj, OUTPUT_FIELDS))
    return obj


@transaction.atomic
def set_ranking_flags(enterprise, *, actor, serious_dishonesty: bool, non_private_controlled: bool):
    """Mark an enterprise 严重失信 / 非民营控股: it is then left out of N强 lists and counted in their note."""
    from qinqing.registry.models import Enterprise

    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    fields = ["serious_dishonesty", "non_private_controlled"]
    before = audit.snapshot(enterprise, fields)
    enterprise.serious_dishonesty = bool(serious_dishonesty)
    enterprise.non_private_controlled = bool(non_private_controlled)
    enterprise.save(update_fields=[*fields, "updated_at"])
    audit.record("reports.ranking_flags", obj=enterprise, actor=actor, before=before,
                 after=audit.snapshot(enterprise, fields))  # fmt: skip
    return enterprise


# --- 五好县级工商联 ratings ------------------------------------------------------------------------
RATING_FIELDS = ["org_id", "level", "year", "benchmark"]
FIRST_RATING_YEAR = 2000


def _rating_scope(actor, org) -> None:
    """Only staff of a city or province FIC rate, and only an FIC node strictly below their own."""
    from qinqing.orgs.choices import FicLevel

    own = getattr(actor, "org", None)
    if own is None or own.kind != "fic" or own.fic_level not in (FicLevel.PROVINCE, FicLevel.CITY):
        raise Refused(_("评定：仅市级、省级工商联可评定五好县级工商联"))
    if org.kind != "fic" or org.pk == own.pk or not org.path.startswith(own.path):
        raise Refused(_("工商联：只能评定本级以下的工商联"))


@transaction.atomic
def record_fic_rating(org, *, actor, level: str, year: int, benchmark: bool = False) -> FicRating:
    """Record a 五好县级工商联 title of ``org`` (an FIC node below the actor's) for a level and year."""
    _rating_scope(actor, org)
    if level not in RatingLevel.values:
        raise Refused(_("评定层级：无效的层级"))
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_RATING_YEAR <= year <= this_year:
        raise Refused(_("年度：应在%(first)s至%(last)s之间") % {"first": FIRST_RATING_YEAR, "last": this_year})
    if FicRating.objects.filter(org=org, level=level, year=year).exists():
        raise Refused(
            _("评定：%(org)s已有%(year)s年%(level)s评定")
            % {"org": org.name, "year": year, "level": RatingLevel(level).label}
        )
    rating = FicRating.objects.create(org=org, org_path=org.path, level=level, year=year, benchmark=bool(benchmark))
    audit.record("reports.fic_rating_record", obj=rating, actor=actor, after=audit.snapshot(rating, RATING_FIELDS))
    return rating


@transaction.atomic
def remove_fic_rating(rating: FicRating, *, actor) -> None:
    """Remove a rating recorded in error (same scope as recording it)."""
    rating = FicRating.objects.select_for_update().select_related("org").get(pk=rating.pk)
    _rating_scope(actor, rating.org)
    before = audit.snapshot(rating, RATING_FIELDS)
    audit.record("reports.fic_rating_remove", obj=rating, actor=actor, before=before)
    rating.delete()
