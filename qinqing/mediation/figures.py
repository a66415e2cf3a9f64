"""Mediation figures, declared with the one figure registry (qinqing.core.figures).

Cases count on the day they were received (by source, by type, the amount in dispute); outcomes on the day the
case was closed (settled, concluded, days taken); 司法确认 on the day the court ruled. The settlement rate is
调解成功 / 已调结 (settled, failed and returned cases: a withdrawn case was never mediated to a result). The
average number of days is 办理天数合计 / 结案数, both registered, so each leads to its records.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Rate, register

from .choices import CLOSED, CONCLUDED, CaseType, Confirmation, Source, Status

SECTION = "society"
MODEL = "mediation.Case"

COLUMNS = (
    Column(_("案件编号"), "number"),
    Column(_("调解组织"), "body__name"),
    Column(_("案件来源"), "source"),
    Column(_("纠纷类型"), "case_type"),
    Column(_("受理日期"), "received_on"),
    Column(_("状态"), "status"),
)
CLOSED_COLUMNS = (*COLUMNS[:4], Column(_("结案日期"), "closed_on"), Column(_("状态"), "status"))


def _received(key, label, *, filters=None, measure="count", columns=COLUMNS, unit=None, description=""):
    return Figure(key=f"mediation.{key}", label=label, unit=unit or _("件"), section=SECTION, model=MODEL,
                  path_field="org_path", date_field="received_on", measure=measure, filters=filters or {},
                  columns=columns, description=description)  # fmt: skip


def _closed(key, label, *, filters, measure="count", columns=CLOSED_COLUMNS, unit=None, description=""):
    return Figure(key=f"mediation.{key}", label=label, unit=unit or _("件"), section=SECTION, model=MODEL,
                  path_field="org_path", date_field="closed_on", measure=measure, filters=filters,
                  columns=columns, description=description)  # fmt: skip


BY_SOURCE = [_received(f"source_{s.value}", _("受理：%(s)s") % {"s": s.label}, filters={"source": s.value})
             for s in Source]  # fmt: skip
BY_TYPE = [_received(f"type_{t.value}", _("受理：%(t)s") % {"t": t.label}, filters={"case_type": t.value})
           for t in CaseType]  # fmt: skip

FIGURES = [
    _received("cases", _("受理调解案件")),
    _received("amount", _("争议金额"), measure="sum:amount", unit=_("万元"),
              columns=(*COLUMNS, Column(_("争议金额（万元）"), "amount", amount=True))),
    _received("court_referred", _("法院委派/委托案件"), filters={"source__in": [Source.COURT_PRE, Source.COURT_IN]}),
    *BY_SOURCE,
    *BY_TYPE,
    _closed("closed", _("结案"), filters={"status__in": list(CLOSED)}),
    _closed("concluded", _("已调结"), filters={"status__in": list(CONCLUDED)},
            description=_("调解成功、调解不成和超期退回法院的案件（不含撤回）")),
    _closed("settled", _("调解成功"), filters={"status": Status.SETTLED}),
    _closed("settled_amount", _("调解成功涉及金额"), filters={"status": Status.SETTLED}, measure="sum:amount",
            unit=_("万元"), columns=(*CLOSED_COLUMNS, Column(_("争议金额（万元）"), "amount", amount=True))),
    _closed("failed", _("调解不成"), filters={"status": Status.FAILED}),
    _closed("returned", _("超期退回法院"), filters={"status": Status.RETURNED}),
    _closed("days_total", _("办理天数合计"), filters={"status__in": list(CLOSED)}, measure="sum:duration_days",
            unit=_("天"), columns=(*CLOSED_COLUMNS, Column(_("办理天数"), "duration_days", amount=True)),
            description=_("结案案件自受理至结案的天数之和；除以结案数即平均办理天数")),
    Figure(key="mediation.confirmed", label=_("司法确认"), unit=_("件"), section=SECTION, model=MODEL,
           path_field="org_path", date_field="confirmation_on", filters={"confirmation": Confirmation.CONFIRMED},
           columns=(*COLUMNS[:4], Column(_("司法确认法院"), "confirmation_court"),
                    Column(_("裁定日期"), "confirmation_on")),
           description=_("法院裁定确认调解协议有效的案件，按裁定日期统计")),
    Rate("mediation.settlement_rate", _("调解成功率"), SECTION, "mediation.settled", "mediation.concluded",
         description=_("调解成功 / 已调结（不含撤回）")),
    Rate("mediation.confirmation_rate", _("司法确认率"), SECTION, "mediation.confirmed", "mediation.settled"),
]  # fmt: skip

register(*FIGURES)

# The cards on top of the figures page, in order.
HEADLINE = ["mediation.cases", "mediation.amount", "mediation.settled", "mediation.settlement_rate",
            "mediation.confirmed"]  # fmt: skip
SOURCE_KEYS = [f.key for f in BY_SOURCE]
TYPE_KEYS = [f.key for f in BY_TYPE]


def average_days(scope_path: str, period) -> float | None:
    from qinqing.core.figures import get

    closed = get("mediation.closed").value(scope_path, period)
    total = get("mediation.days_total").value(scope_path, period)
    return round(float(total) / closed, 1) if closed else None
