"""The figures FICs report: 受理量, 交办率, 首次联系及时率, 按时答复率, 办结率, 满意率, 解决率.

登记量 (``received``) counts every registered appeal; 受理量 (``accepted``) only those accepted for handling
and not merged into another (a rejected appeal was not 受理, a merged duplicate is counted with its master).

One aggregate query per dimension (conditional counts grouped by one column); rates are computed from
the counts by the pure ``rates()``. Region roll-up groups by the user's direct child node using the
appeal's org_path, so a city sees each county's figures including everything below it.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import workflow as wf

COUNTS = {
    "received": Q(),
    "accepted": Q(accepted_at__isnull=False) & ~Q(status=wf.MERGED),
    "assigned": Q(assigned_at__isnull=False),
    "contacted": Q(contacted_at__isnull=False),
    "contacted_on_time": Q(contacted_on_time=True),
    # Still waiting for the first contact or the reply after its deadline: late, so in the rate's denominator.
    "contact_missed": lambda today: (
        Q(assigned_at__isnull=False, contacted_at__isnull=True, contact_due__lt=today) & ~Q(status__in=wf.FINAL_STATES)
    ),
    "replied": Q(replied_at__isnull=False),
    "replied_on_time": Q(replied_on_time=True),
    "reply_missed": lambda today: (
        Q(assigned_at__isnull=False, replied_at__isnull=True, reply_due__lt=today) & ~Q(status__in=wf.FINAL_STATES)
    ),
    "closed": Q(status=wf.CLOSED),
    "rated": Q(satisfaction__isnull=False),
    "satisfied": Q(satisfaction__in=list(wf.SATISFIED_LEVELS)),
    "solved_known": Q(solved__isnull=False),
    "solved": Q(solved=True),
    "overdue": Q(ever_overdue=True),
    "rehandled": Q(rehandle_count__gt=0),
    "extended": Q(extension_days__gt=0),
    "merged": Q(status=wf.MERGED),
}

RATES = [
    ("assign_rate", gettext_lazy("交办率"), "assigned", "accepted"),
    # Timeliness counts the appeals still unanswered past their deadline too, not only those answered.
    ("contact_rate", gettext_lazy("首次联系及时率"), "contacted_on_time", ("contacted", "contact_missed")),
    ("reply_rate", gettext_lazy("按时答复率"), "replied_on_time", ("replied", "reply_missed")),
    ("close_rate", gettext_lazy("办结率"), "closed", "accepted"),
    ("satisfaction_rate", gettext_lazy("满意率"), "satisfied", "rated"),
    ("solve_rate", gettext_lazy("解决率"), "solved", "solved_known"),
]

DIMENSIONS = {
    "department": ("lead_department_id", "lead_department__name", gettext_lazy("承办单位")),
    "type": ("appeal_type_id", "appeal_type__name", gettext_lazy("诉求类型")),
    "domain": ("domain_id", "domain__name", gettext_lazy("诉求领域")),
    "channel": ("channel", None, gettext_lazy("来源渠道")),
    "region": ("fic_id", "fic__path", gettext_lazy("地区")),
    "month": ("month", None, gettext_lazy("月份")),
}


def rates(counts: dict) -> dict:
    """Percentages (one decimal) from counts; None where the denominator is zero."""
    out = dict(counts)
    for key, _label, num, den in RATES:
        d = sum(counts.get(name) or 0 for name in (den if isinstance(den, tuple) else (den,)))
        out[key] = round(100.0 * (counts.get(num) or 0) / d, 1) if d else None
    return out


def _aggregates() -> dict:
    from . import actions  # 'today' from the same place as the deadlines it is compared with

    today = actions.today()
    conditions = {name: cond(today) if callable(cond) else cond for name, cond in COUNTS.items()}
    return {name: Count("id", filter=cond) if cond else Count("id") for name, cond in conditions.items()}


def totals(qs: QuerySet) -> dict:
    return rates(qs.aggregate(**_aggregates()))


def by_dimension(qs: QuerySet, dimension: str, *, base_path: str = "") -> list[dict]:
    """Counts and rates per group of ``dimension``, from appeals (a queryset of Appeal) or from the rollup (a
    queryset of AppealRollup, see ``rollup_source``): the same rows either way."""
    from .models import AppealCounts

    rows = _grouped_rollup(qs, dimension) if issubclass(qs.model, AppealCounts) else _grouped(qs, dimension)
    _key, label_field, _title = DIMENSIONS[dimension]
    if dimension == "region":
        rows = _roll_up(rows, base_path)
    elif dimension == "department" and base_path:
        _label_regions(rows, base_path)
    for row in rows:
        if dimension == "month":
            row["label"] = row["month"].strftime("%Y-%m") if row["month"] else "—"
        elif dimension == "channel":
            from .models import Channel

            row["label"] = dict(Channel.choices).get(row["channel"], row["channel"])
        elif dimension != "region":
            row["label"] = row.get(label_field) or _("（未交办）")
    result = [rates(r) | {"label": r["label"], "region": r.get("region", "")} for r in rows]
    if dimension == "month":
        result.sort(key=lambda r: r["label"])
    else:
        result.sort(key=lambda r: (-r["received"], r["label"]))
    return result


def _grouped(qs: QuerySet, dimension: str) -> list[dict]:
    key, label_field, _title = DIMENSIONS[dimension]
    if dimension == "month":
        qs = qs.annotate(month=TruncMonth("registered_on"))
    values = [key] + ([label_field] if label_field else [])
    if dimension == "department":
        values.append("lead_department__path")
    return list(qs.order_by().values(*values).annotate(**_aggregates()))


# The rollup column each dimension groups by, and the lookups its label rows are completed with.
ROLLUP_GROUPS = {
    "department": ("department", "lead_department_id"),
    "type": ("appeal_type", "appeal_type_id"),
    "domain": ("domain", "domain_id"),
    "channel": ("channel", "channel"),
    "region": ("fic", "fic_id"),
    "month": ("month", "month"),
}


def _rollup_aggregates() -> dict:
    from . import actions

    today = actions.today()
    # Aliased (s_…): an annotation may not take the name of the column it sums.
    sums = {f"s_{name}": Sum(name) for name, cond in COUNTS.items() if not callable(cond)}
    sums["s_contact_missed"] = Sum("received", filter=Q(contact_wait__lt=today))
    sums["s_reply_missed"] = Sum("received", filter=Q(reply_wait__lt=today))
    return sums


def _grouped_rollup(qs: QuerySet, dimension: str) -> list[dict]:
    """The rows ``_grouped`` gives, from the rollup: sums per group, then the labels of the few groups."""
    from qinqing.orgs.models import Organization

    from .models import AppealDomain, AppealType

    column, key = ROLLUP_GROUPS[dimension]
    if dimension == "month":
        qs = qs.annotate(month=TruncMonth("day"))
    rows = list(qs.order_by().values(column).annotate(**_rollup_aggregates()))
    for row in rows:
        row[key] = row.pop(column) if column != key else row[column]
        for name in COUNTS:
            row[name] = row.pop(f"s_{name}") or 0
    ids = [r[key] for r in rows]
    if dimension in ("department", "region"):
        orgs = {o.pk: o for o in Organization.objects.filter(pk__in=ids).only("name", "path")}
        for row in rows:
            org = orgs.get(row[key])
            if dimension == "region":
                row["fic__path"] = org.path if org else ""
            else:
                row[key] = row[key] or None  # 0 in the rollup: not dispatched
                row["lead_department__name"] = org.name if org else None
                row["lead_department__path"] = org.path if org else None
    elif dimension in ("type", "domain"):
        model, prefix = (AppealType, "appeal_type") if dimension == "type" else (AppealDomain, "domain")
        names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
        for row in rows:
            row[f"{prefix}__name"] = names.get(row[key])
    return rows


def rollup_source(user, params) -> QuerySet | None:
    """The rollup rows behind the figures page of ``user`` with ``params`` (the list's filters), or None when
    a filter asks for something the rollup does not hold (keyword, current status or deadline state) or the
    user's appeals are not a subtree (then the page counts the appeals themselves)."""
    from qinqing.core.roles import Role

    from .filters import filter_rollup
    from .models import AppealRollup

    org = getattr(user, "org", None)
    if getattr(user, "role", None) not in (Role.FIC_STAFF, Role.FIC_LEADER) or org is None or not org.path:
        return None
    return filter_rollup(AppealRollup.objects.filter(org_path__startswith=org.path), params)


def department_source(user, params) -> QuerySet | None:
    """The department rollup's rows (month × path × lead department) behind the figures page's department rows, or
    None when ``rollup_source`` gives none or a filter needs a key that table summed away (dates, type, domain,
    channel): the same sums from tens of thousands of rows instead of every daily row of the scope."""
    from .filters import FIELDS, _parse
    from .models import AppealDepartmentRollup

    rolled = rollup_source(user, params)
    p = _parse(params)
    if rolled is None or any(p[k] for k in FIELDS if k != "department"):
        return None
    qs = AppealDepartmentRollup.objects.filter(org_path__startswith=user.org.path)
    return qs.filter(department=int(p["department"])) if p["department"] else qs


def _child_of(path: str, base_path: str) -> str:
    """The direct child of ``base_path`` that ``path`` lies under (base_path itself for its own rows).

    Paths look like "/430000/430600/430621/": a node at depth d has d+2 parts when split on "/", so
    the direct child of a node with ``depth`` slashes keeps the first ``depth + 1`` parts.
    """
    depth = base_path.count("/")
    parts = (path or "").split("/")
    if path == base_path or not path.startswith(base_path) or len(parts) <= depth:
        return base_path
    return "/".join(parts[: depth + 1]) + "/"


def _roll_up(rows: list[dict], base_path: str) -> list[dict]:
    """Sum rows per direct child node of base_path, whatever depth below it an appeal's FIC sits at
    (a township FIC rolls up into its county); the node's own appeals stay under 本级."""
    from qinqing.orgs.models import Organization

    buckets: dict[str, dict] = {}
    for row in rows:
        child = _child_of(row["fic__path"] or "", base_path)
        bucket = buckets.setdefault(child, {k: 0 for k in COUNTS} | {"path": child})
        for k in COUNTS:
            bucket[k] += row[k]
    names = dict(Organization.objects.filter(path__in=list(buckets)).values_list("path", "name"))
    for path, bucket in buckets.items():
        name = names.get(path, path)
        bucket["label"] = _("本级：%(name)s") % {"name": name} if path == base_path else name
    return list(buckets.values())


def _label_regions(rows: list[dict], base_path: str) -> None:
    """Name the direct child region each department belongs to, so a city's league reads by county."""
    from qinqing.orgs.models import Organization

    children = {r["lead_department__path"]: _child_of(r["lead_department__path"] or "", base_path) for r in rows}
    names = dict(Organization.objects.filter(path__in=set(children.values())).values_list("path", "name"))
    for r in rows:
        child = children[r["lead_department__path"]]
        r["region"] = (
            "" if not r["lead_department__path"] else _("本级") if child == base_path else names.get(child, "")
        )


def departments_by_region(department_rows: list[dict]) -> list[dict]:
    """Department rows rolled up the tree to the reader's direct children (by where the handling
    department sits, not where the appeal was registered): what each county's departments handled."""
    buckets: dict[str, dict] = {}
    for r in department_rows:
        if not r.get("region"):
            continue  # not dispatched yet
        bucket = buckets.setdefault(r["region"], {k: 0 for k in COUNTS})
        for k in COUNTS:
            bucket[k] += r[k]
    result = [rates(b) | {"label": label, "region": label} for label, b in buckets.items()]
    result.sort(key=lambda r: -r["received"])
    return result


def totals_from(rows: list[dict]) -> dict:
    """Totals are the sums of any one dimension's groups: no second scan of the table."""
    return rates({k: sum(r[k] for r in rows) for k in COUNTS})


def league(qs: QuerySet) -> list[dict]:
    return league_from(by_dimension(qs, "department"))


def league_from(department_rows: list[dict]) -> list[dict]:
    """Department league table: a composite score of contact, reply, satisfaction and solve rates."""
    rows = [dict(r) for r in department_rows if r["received"] and r["label"] != _("（未交办）")]
    for r in rows:
        parts = [r[k] for k in ("contact_rate", "reply_rate", "satisfaction_rate", "solve_rate") if r[k] is not None]
        r["score"] = round(sum(parts) / len(parts), 1) if parts else 0.0
    rows.sort(key=lambda r: (-r["score"], -r["received"]))
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Registry declarations (qinqing.core.figures): the figures dashboards, statistics and the annual summary read.
# Appeals count on their registration day; each figure's drill-down is the appeals it counts.
def _declare() -> None:
    from qinqing.core.figures import Column, Figure, Rate, register

    columns = (
        Column(gettext_lazy("诉求编号"), "number"),
        Column(gettext_lazy("标题"), "title"),
        Column(gettext_lazy("诉求领域"), "domain__name"),
        Column(gettext_lazy("状态"), "status"),
        Column(gettext_lazy("登记日期"), "registered_on"),
        Column(gettext_lazy("受理工商联"), "fic__name"),
        Column(gettext_lazy("承办单位"), "lead_department__name"),
    )

    def appeal(name, label, where=None, description=""):
        # Read from the rollup (rollups.py, same conditions); the drill-down is the appeals themselves.
        return Figure(
            rollup=("appeals", name),
            key=f"appeals.{name}",
            label=label,
            unit=gettext_lazy("件"),
            section="economy",
            model="appeals.Appeal",
            path_field="org_path",
            date_field="registered_on",
            where=where,
            columns=columns,
            description=description,
        )

    register(
        appeal("received", gettext_lazy("诉求登记量"), description=gettext_lazy("期间内登记的全部诉求")),
        appeal("accepted", gettext_lazy("诉求受理量"), COUNTS["accepted"], gettext_lazy("已受理且未被合并的诉求")),
        appeal("assigned", gettext_lazy("诉求交办量"), COUNTS["assigned"]),
        appeal("closed", gettext_lazy("诉求办结量"), COUNTS["closed"]),
        appeal("rated", gettext_lazy("已评价诉求"), COUNTS["rated"]),
        appeal("satisfied", gettext_lazy("满意诉求"), COUNTS["satisfied"], gettext_lazy("评价为满意或基本满意")),
        appeal("solved_known", gettext_lazy("已确认解决情况的诉求"), COUNTS["solved_known"]),
        appeal("solved", gettext_lazy("实际解决诉求"), COUNTS["solved"]),
        Rate("appeals.close_rate", gettext_lazy("诉求办结率"), "economy", "appeals.closed", "appeals.accepted"),
        Rate("appeals.satisfaction_rate", gettext_lazy("诉求满意率"), "economy", "appeals.satisfied", "appeals.rated"),
        Rate("appeals.solve_rate", gettext_lazy("诉求解决率"), "economy", "appeals.solved", "appeals.solved_known"),
    )


_declare()
