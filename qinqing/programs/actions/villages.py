"""万企兴万村: pairings of an enterprise or a chamber with an administrative village, their projects, and each
project's funds committed and spent and people employed, year by year. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.orgs import regions

from ..choices import PartyKind, ProjectKind
from ..models import Pairing, Project, ProjectYear
from ..permissions import can_report
from .common import ProgramsError, amount, choice, day, in_scope, text, today, whole

PAIRING_FIELDS = ("party_kind", "enterprise_id", "chamber_id", "org_path", "county_code", "village", "started_on",
                  "ended_on", "contact", "note")  # fmt: skip
YEAR_FIELDS = ("committed", "spent", "employed", "note")


def check_county(code) -> regions.Region:
    """The county-level region (GB/T 2260, in force) of a 6-digit code; ValidationError naming county_code."""
    code = str(code or "").strip()
    if not code:
        raise ValidationError({"county_code": _("请填写村所在县级区划代码")})
    region = regions.region_of(code) if len(code) == 6 and code.isdigit() else None
    if region is None or region.level != regions.COUNTY or not region.current:
        raise ValidationError(
            {"county_code": _("村所在县级区划代码“%(code)s”不是现行的 GB/T 2260 县级区划代码") % {"code": code[:20]}}
        )
    return region


def _party(actor, data: dict) -> tuple[str, object, object, str]:
    kind = choice(data, "party_kind", _("结对主体类型"), PartyKind)
    enterprise = data.get("enterprise") if kind == PartyKind.ENTERPRISE else None
    chamber = data.get("chamber") if kind == PartyKind.CHAMBER else None
    if kind == PartyKind.ENTERPRISE:
        if enterprise is None:
            raise ValidationError({"enterprise": _("请选择结对企业")})
        path, name, field = enterprise.org_path, enterprise.name, "enterprise"
    else:
        if chamber is None or chamber.kind != "chamber":
            raise ValidationError({"chamber": _("请选择结对商会")})
        path, name, field = chamber.path, chamber.name, "chamber"
    if not actor.org_id or not path.startswith(actor.org.path):
        raise ValidationError({field: _("“%(name)s”不在您的管辖范围内") % {"name": name}})
    return kind, enterprise, chamber, path


@transaction.atomic
def save_pairing(*, actor, data: dict, pairing: Pairing | None = None) -> Pairing:
    """FIC staff register (or correct) a pairing; the same party and village are paired once."""
    if pairing is not None:
        in_scope(actor, pairing.org_path, _("该结对"))
    kind, enterprise, chamber, path = _party(actor, data)
    region = check_county(data.get("county_code"))
    village = text(data, "village", _("行政村名称"), max_length=60)
    started = day(data, "started_on", _("结对日期"))
    ended = day(data, "ended_on", _("结束日期"), required=False, not_before=started)
    key = f"{region.code}{village}"
    twin = Pairing.objects.filter(village_key=key, party_kind=kind, enterprise=enterprise, chamber=chamber)
    if pairing is not None:
        twin = twin.exclude(pk=pairing.pk)
    if twin.exists():
        raise ValidationError({"village": _("该主体已与%(village)s结对，请勿重复登记") % {"village": village}})
    before = audit.snapshot(pairing, PAIRING_FIELDS) if pairing is not None else None
    if pairing is None:
        pairing = Pairing(created_by=actor)
    pairing.party_kind, pairing.enterprise, pairing.chamber, pairing.org_path = kind, enterprise, chamber, path
    pairing.county_code, pairing.county_name = region.code, regions.full_name(region.code)[:60]
    pairing.village, pairing.village_key, pairing.started_on, pairing.ended_on = village, key, started, ended
    pairing.contact = text(data, "contact", _("村联系人"), max_length=50, required=False)
    pairing.note = text(data, "note", _("说明"), max_length=2000, required=False)
    pairing.save()
    Project.objects.filter(pairing=pairing).exclude(org_path=path).update(org_path=path)
    ProjectYear.objects.filter(project__pairing=pairing).exclude(org_path=path).update(org_path=path)
    after = audit.snapshot(pairing, PAIRING_FIELDS)
    if before is not None:
        before, after = audit.diff(before, after)
    audit.record("programs.save_pairing", obj=pairing, actor=actor, before=before, after=after)
    return pairing


def _check_reporter(actor, pairing: Pairing) -> None:
    if not can_report(actor, pairing):
        raise ProgramsError(_("您不能为该结对填报项目"))


@transaction.atomic
def add_project(pairing: Pairing, *, actor, data: dict) -> Project:
    """A project under a pairing, by FIC staff over it or by the pairing's own enterprise or chamber."""
    _check_reporter(actor, pairing)
    name = text(data, "name", _("项目名称"), max_length=100)
    kind = choice(data, "kind", _("项目类型"), ProjectKind)
    started = day(data, "started_on", _("启动日期"), not_before=pairing.started_on)
    project = Project.objects.create(
        pairing=pairing, org_path=pairing.org_path, name=name, kind=kind, started_on=started, created_by=actor,
        description=text(data, "description", _("项目内容"), max_length=2000, required=False),
    )  # fmt: skip
    audit.record("programs.add_project", obj=project, actor=actor,
                 after={"pairing": pairing.pk, "name": name, "kind": kind, "started_on": started})  # fmt: skip
    return project


@transaction.atomic
def record_year(project: Project, *, actor, data: dict) -> ProjectYear:
    """A project's funds committed and spent and people employed in one year (a second entry corrects it)."""
    _check_reporter(actor, project.pairing)
    year = whole(data, "year", _("年度"), low=max(project.started_on.year, 2000), high=today().year)
    values = {
        "committed": amount(data, "committed", _("承诺投入资金（万元）")),
        "spent": amount(data, "spent", _("实际到位资金（万元）")),
        "employed": whole(data, "employed", _("带动就业人数"), low=0, high=1_000_000, default=0),
        "note": text(data, "note", _("备注"), max_length=200, required=False),
    }
    row = ProjectYear.objects.select_for_update().filter(project=project, year=year).first()
    before = audit.snapshot(row, YEAR_FIELDS) if row is not None else None
    if row is None:
        row = ProjectYear(project=project, year=year, year_start=dt.date(year, 1, 1))
    row.org_path = project.org_path
    for name, value in values.items():
        setattr(row, name, value)
    row.recorded_by = actor
    row.save()
    after = audit.snapshot(row, YEAR_FIELDS)
    if before is not None:
        before, after = audit.diff(before, after)
    audit.record("programs.record_year", obj=row, actor=actor, before=before, after={"year": year, **after})
    return row
