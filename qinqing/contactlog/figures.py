"""亲清日志 figures, declared with the one figure registry (qinqing.core.figures).

Contacts count on the day they took place, by purpose; matters on their contact's day (and those turned into
appeals); flags on the contact's day; conclusions on the day the reviewer recorded them, by conclusion. Every
figure's drill-down is exactly its records.

The entries behind these figures are readable only by a unit's leader and the 纪检监督 reviewer (not by other
staff), so every figure carries ``permission=PERMISSION`` (core.figures.Figure.permission): the reports pages,
dashboards and API list a figure only to those holding it, and the annual summary never cites them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Period, Rate, register

from .choices import Conclusion, Purpose, ReviewStatus

PERMISSION = "contactlog.view_figures"
SECTION = "self"  # 自身建设: 亲清政商关系 is the FIC's own conduct

ENTRY_COLUMNS = (
    Column(_("日期"), "date"),
    Column(_("事由"), "purpose"),
    Column(_("地点"), "place"),
    Column(_("单位"), "org__name"),
    Column(_("审查状态"), "review_status"),
)
MATTER_COLUMNS = (
    Column(_("日期"), "entry__date"),
    Column(_("单位"), "entry__org__name"),
    Column(_("反映事项"), "text"),
    Column(_("反映企业"), "enterprise__name"),
    Column(_("转办诉求"), "appeal__number"),
)
REVIEW_COLUMNS = (
    Column(_("审查日期"), "reviewed_on"),
    Column(_("接触日期"), "date"),
    Column(_("单位"), "org__name"),
    Column(_("审查结论"), "conclusion"),
)


RESTRICTED = {"permission": PERMISSION}


def _entries(name, label, *, filters=None, date_field="date", columns=ENTRY_COLUMNS, unit=None, description=""):
    return Figure(key=f"contactlog.{name}", label=label, unit=unit or _("次"), section=SECTION,
                  model="contactlog.ContactEntry", path_field="org_path", date_field=date_field,
                  filters=filters or {}, columns=columns, description=description, **RESTRICTED)  # fmt: skip


def _matters(name, label, *, filters=None, description=""):
    return Figure(key=f"contactlog.{name}", label=label, unit=_("件"), section=SECTION, model="contactlog.Matter",
                  path_field="entry__org_path", date_field="entry__date", filters=filters or {},
                  columns=MATTER_COLUMNS, description=description, **RESTRICTED)  # fmt: skip


FIGURES = [
    _entries("contacts", _("政企接触"), description=_("公职人员记录的与企业家的接触")),
    *(_entries(f"contacts_{p.value}", _("政企接触：%(purpose)s") % {"purpose": p.label}, filters={"purpose": p.value})
      for p in Purpose),
    _matters("matters", _("企业反映事项")),
    _matters("matters_appealed", _("反映事项转为诉求"), filters={"appeal__isnull": False}),
    _entries("flagged", _("触及负面清单的接触"), filters={"is_flagged": True}),
    _entries("pending", _("待审查"), filters={"review_status": ReviewStatus.PENDING},
             description=_("触及负面清单、尚无审查结论的接触")),
    _entries("concluded", _("已审查"), filters={"review_status": ReviewStatus.CONCLUDED}, date_field="reviewed_on",
             columns=REVIEW_COLUMNS, unit=_("件"), description=_("按审查日期统计")),
    *(_entries(f"concluded_{c.value}", _("审查结论：%(conclusion)s") % {"conclusion": c.label},
               filters={"review_status": ReviewStatus.CONCLUDED, "conclusion": c.value}, date_field="reviewed_on",
               columns=REVIEW_COLUMNS, unit=_("件"))
      for c in Conclusion),
    Rate("contactlog.appeal_rate", _("反映事项转诉求率"), SECTION, "contactlog.matters_appealed", "contactlog.matters",
         **RESTRICTED),
    Rate("contactlog.flag_rate", _("负面清单触及率"), SECTION, "contactlog.flagged", "contactlog.contacts",
         **RESTRICTED),
]  # fmt: skip

register(*FIGURES)

BY_KEY: dict[str, Figure | Rate] = {f.key: f for f in FIGURES}


def value(figure: Figure | Rate, scope_path: str, period: Period):
    """A figure's value for a subtree and period; a rate as value, numerator and denominator."""
    if isinstance(figure, Rate):
        num = BY_KEY[figure.numerator].value(scope_path, period)
        den = BY_KEY[figure.denominator].value(scope_path, period)
        return {"value": round(100.0 * num / den, 2) if den else None, "numerator": num, "denominator": den}
    return figure.value(scope_path, period)
