"""Annual statistics of members and chambers (issue 15 §2a), as of any date and against the same date a
year earlier, for an FIC node's subtree. One aggregate query per table; the .xlsx export follows the
tables' layout (one sheet, a titled block per table).

Members are FIC memberships (chamber rolls are the chambers' own). Chambers exist from their registration
date (or always, without one) unless cancelled; the model keeps no cancellation date, so a chamber
cancelled since counts in neither column.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from qinqing.registry.choices import (
    ChamberType,
    DeputyLevel,
    MemberKind,
    MemberRole,
    PartyOrgType,
    RatingScheme,
    RegistrationStatus,
)
from qinqing.registry.models import Chamber, ChamberRating, Member

from .choices import RatingLevel
from .models import FicRating


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _member_at(day: dt.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def _chamber_at(day: dt.date) -> Q:
    return Q(registered_on__isnull=True) | Q(registered_on__lte=day)


def _pct(num, den):
    return round(100.0 * num / den, 1) if den else None


def members(path: str, day: dt.date) -> dict:
    before = year_before(day)
    qs = Member.objects.filter(org_path__startswith=path, organization__kind="fic")
    agg = {}
    for code in MemberKind.values:
        agg[f"{code}_now"] = Count("pk", filter=_member_at(day) & Q(kind=code))
        agg[f"{code}_before"] = Count("pk", filter=_member_at(before) & Q(kind=code))
        agg[f"{code}_new"] = Count("pk", filter=Q(kind=code, joined_on__gt=before, joined_on__lte=day))
        agg[f"{code}_left"] = Count("pk", filter=Q(kind=code, left_on__gt=before, left_on__lte=day))
    c = qs.aggregate(**agg)
    rows = []
    for code, label in MemberKind.choices:
        now, prev = c[f"{code}_now"], c[f"{code}_before"]
        rows.append({"label": str(label), "now": now, "before": prev, "new": c[f"{code}_new"],
                     "left": c[f"{code}_left"], "growth": _pct(now - prev, prev)})  # fmt: skip
    total = {k: sum(r[k] for r in rows) for k in ("now", "before", "new", "left")}
    total.update(label=_("合计"), growth=_pct(total["now"] - total["before"], total["before"]))
    share_now = _pct(rows[0]["now"], total["now"])
    share_before = _pct(rows[0]["before"], total["before"])
    share_change = round(share_now - share_before, 1) if share_now is not None and share_before is not None else None
    return {"rows": [*rows, total], "share_now": share_now, "share_before": share_before, "share_change": share_change}


def chambers(path: str, day: dt.date) -> dict:
    before = year_before(day)
    qs = Chamber.objects.filter(org_path__startswith=path).exclude(registration_status=RegistrationStatus.CANCELLED)
    registered = Q(registration_status=RegistrationStatus.REGISTERED)
    has_party = Q(party_org_type__in=[PartyOrgType.INDEPENDENT, PartyOrgType.JOINT, PartyOrgType.FUNCTIONAL]) | Q(
        party_org_established=True
    )
    liaison_only = ~has_party & ~Q(party_liaison="")
    agg = {}
    for code in ChamberType.values:
        t = Q(chamber_type=code)
        agg[f"{code}_now"] = Count("pk", filter=t & _chamber_at(day))
        agg[f"{code}_before"] = Count("pk", filter=t & _chamber_at(before))
        agg[f"{code}_reg"] = Count("pk", filter=t & _chamber_at(day) & registered)
        agg[f"{code}_party"] = Count("pk", filter=t & _chamber_at(day) & has_party)
        agg[f"{code}_liaison"] = Count("pk", filter=t & _chamber_at(day) & liaison_only)
    for code in PartyOrgType.values:
        agg[f"party_{code}"] = Count("pk", filter=_chamber_at(day) & Q(party_org_type=code))
    c = qs.aggregate(**agg)
    rows = []
    for code, label in ChamberType.choices:
        now = c[f"{code}_now"]
        rows.append({"label": str(label), "now": now, "before": c[f"{code}_before"], "registered": c[f"{code}_reg"],
                     "unregistered": now - c[f"{code}_reg"], "party": c[f"{code}_party"],
                     "liaison": c[f"{code}_liaison"]})  # fmt: skip
    total = {k: sum(r[k] for r in rows) for k in ("now", "before", "registered", "unregistered", "party", "liaison")}
    total["label"] = _("合计")
    party_types = [{"label": str(label), "count": c[f"party_{code}"]} for code, label in PartyOrgType.choices]
    return {
        "rows": [*rows, total],
        "party_types": party_types,
        "formation_rate": _pct(total["party"], total["now"]),
        "coverage_rate": _pct(total["party"] + total["liaison"], total["now"]),
    }


def ratings(path: str, day: dt.date) -> dict:
    years = [day.year - 1, day.year]
    chamber = (
        ChamberRating.objects.filter(chamber__org_path__startswith=path, year__in=years)
        .values("scheme", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(r["scheme"], r["year"]): r["n"] for r in chamber}
    fic = FicRating.objects.filter(org_path__startswith=path, year__in=years).values("level", "year").annotate(
        n=Count("pk"), benchmark=Count("pk", filter=Q(benchmark=True))
    ).order_by()  # fmt: skip
    fic_counts = {(r["level"], r["year"]): (r["n"], r["benchmark"]) for r in fic}
    return {
        "years": years,
        "chambers": [
            {"label": str(label), "counts": [counts.get((code, y), 0) for y in years]}
            for code, label in RatingScheme.choices
        ],
        "fics": [
            {
                "label": str(label),
                "counts": [fic_counts.get((code, y), (0, 0))[0] for y in years],
                "benchmark": [fic_counts.get((code, y), (0, 0))[1] for y in years],
            }
            for code, label in RatingLevel.choices
        ],
    }


SEATS = [MemberRole.VICE_CHAIR, MemberRole.STANDING, MemberRole.EXECUTIVE]


def leadership(path: str, day: dt.date) -> dict:
    qs = Member.objects.filter(org_path__startswith=path, organization__kind="fic").filter(_member_at(day))
    agg = {f"seat_{r}": Count("pk", filter=Q(role=r)) for r in SEATS}
    for code in DeputyLevel.values:
        agg[f"npc_{code}"] = Count("pk", filter=Q(npc_level=code))
        agg[f"cppcc_{code}"] = Count("pk", filter=Q(cppcc_level=code))
    c = qs.aggregate(**agg)
    labels = dict(MemberRole.choices)
    return {
        "seats": [{"label": str(labels[r]), "count": c[f"seat_{r}"]} for r in SEATS],
        "deputies": [
            {"label": str(label), "npc": c[f"npc_{code}"], "cppcc": c[f"cppcc_{code}"]}
            for code, label in DeputyLevel.choices
        ],
    }


def build(path: str, day: dt.date) -> dict:
    return {
        "day": day,
        "before": year_before(day),
        "members": members(path, day),
        "chambers": chambers(path, day),
        "ratings": ratings(path, day),
        "leadership": leadership(path, day),
    }


def xlsx_bytes(node_name: str, data: dict) -> bytes:
    from qinqing.core.cellsafety import workbook

    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})  # text as text: no formula from a name
    sheet = book.add_worksheet(_("会员和商会统计"))
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    row = 0

    def block(heading: str, head: list, rows: list[list]) -> None:
        nonlocal row
        sheet.write(row, 0, heading, bold)
        sheet.write_row(row + 1, 0, head, bold)
        for i, r in enumerate(rows, start=row + 2):
            sheet.write_row(i, 0, ["" if v is None else v for v in r])
        row += len(rows) + 3

    day, before = data["day"].isoformat(), data["before"].isoformat()
    sheet.write(row, 0, _("%(name)s会员和商会统计（截至%(day)s，对比%(before)s）") % {"name": node_name, "day": day,
                "before": before}, title)  # fmt: skip
    row += 2
    m = data["members"]
    block(_("一、会员"), [_("类别"), day, before, _("本年新增"), _("本年退会"), _("增长率（%）")],
          [[r["label"], r["now"], r["before"], r["new"], r["left"], r["growth"]] for r in m["rows"]])  # fmt: skip
    block(
        _("企业会员占比（%）"),
        [day, before, _("变化（百分点）")],
        [[m["share_now"], m["share_before"], m["share_change"]]],
    )
    c = data["chambers"]
    block(_("二、商会"), [_("类型"), day, before, _("民政登记"), _("未登记"), _("建立党组织"), _("党建联络员覆盖")],
          [[r["label"], r["now"], r["before"], r["registered"], r["unregistered"], r["party"], r["liaison"]]
           for r in c["rows"]])  # fmt: skip
    block(_("三、商会党组织"), [_("类型"), _("数量")], [[p["label"], p["count"]] for p in c["party_types"]]
          + [[_("组建率（%）"), c["formation_rate"]], [_("覆盖率（%）"), c["coverage_rate"]]])  # fmt: skip
    r = data["ratings"]
    years = [str(y) for y in r["years"]]
    block(_("四、“四好”商会等评定（家）"), [_("评定"), *years], [[x["label"], *x["counts"]] for x in r["chambers"]])
    block(_("五好县级工商联（个，括号内为标杆）"), [_("层级"), *years],
          [[x["label"], *[f"{n}（{b}）" for n, b in zip(x["counts"], x["benchmark"], strict=True)]]
           for x in r["fics"]])  # fmt: skip
    ld = data["leadership"]
    block(_("五、领导班子"), [_("职务"), _("人数")], [[s["label"], s["count"]] for s in ld["seats"]])
    block(_("人大代表、政协委员"), [_("层级"), _("人大代表"), _("政协委员")],
          [[d["label"], d["npc"], d["cppcc"]] for d in ld["deputies"]])  # fmt: skip
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 7, 14)
    book.close()
    return buffer.getvalue()
