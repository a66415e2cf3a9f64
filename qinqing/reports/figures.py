"""Figures of the reports' own records: 参政议政 outputs by kind, adoption, 批示 and award (on their
submission day), and 五好县级工商联 titles (by year)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, register

from .choices import AdoptionLevel, OutputKind

COLUMNS = (
    Column(_("类别"), "kind"),
    Column(_("标题"), "title"),
    Column(_("作者"), "authors"),
    Column(_("报送日期"), "submitted_on"),
    Column(_("报送单位"), "submitted_to"),
    Column(_("采用层级"), "adoption_levels"),
    Column(_("批示层级"), "instruction_level"),
    Column(_("获奖"), "award"),
)


PIECES = _("篇")


def _output(name, label, where=None, unit=PIECES):
    return Figure(
        key=f"reports.{name}",
        label=label,
        unit=unit,
        section="advisory",
        model="reports.AdvisoryOutput",
        path_field="org_path",
        date_field="submitted_on",
        where=where,
        columns=COLUMNS,
    )


register(
    _output("outputs", _("参政议政成果")),
    _output("proposals", _("提交提案"), Q(kind=OutputKind.PROPOSAL), unit=_("件")),
    _output("proposals_filed", _("提案立案"), Q(kind=OutputKind.PROPOSAL, filed=True), unit=_("件")),
    _output("sqmy", _("报送社情民意信息"), Q(kind=OutputKind.SQMY)),
    _output("research", _("形成调研报告"), Q(kind=OutputKind.RESEARCH)),
    _output("special", _("报送信息专报"), Q(kind=OutputKind.SPECIAL)),
    _output("speeches", _("大会发言"), Q(kind=OutputKind.SPEECH)),
    _output("adopted", _("被采用"), ~Q(adoption_levels="")),
    _output("adopted_national", _("被全国政协采用"), Q(adoption_levels__contains=AdoptionLevel.CPPCC_NATIONAL)),
    _output("adopted_province", _("被省级采用"), Q(adoption_levels__contains=AdoptionLevel.PROVINCE)),
    _output("instructed", _("获领导批示"), ~Q(instruction_level="")),
    _output("awarded", _("获奖"), ~Q(award="")),
    Figure(
        key="reports.fic_ratings",
        label=_("获评“五好”县级工商联"),
        unit=_("个"),
        section="organisation",
        model="reports.FicRating",
        path_field="org_path",
        where=lambda p: Q(year__gte=p.start.year, year__lte=p.end.year),
        columns=(Column(_("工商联"), "org__name"), Column(_("评定层级"), "level"), Column(_("年度"), "year")),
    ),
)
