# ruff: noqa: E501 -- benchmark generator: SQL statements kept on one line
"""Chambers and enterprises of the province profile, copied from the demo's (see generate.py)."""

from __future__ import annotations

from django.db import connection
from sqlcopy import IndexesDropped, insert, scalar, sync_sequence, templates

COPY = "substr(credit_code, 9, 1) = 'P'"  # a generated enterprise: 91 + region + P + 8-digit serial + check


def chambers(target: int) -> str | None:
    with connection.cursor() as cur:
        need = target - scalar(cur, "select count(*) from orgs_organization where kind = 'chamber'")
        if need <= 0:
            return None
        n = templates(
            cur,
            "tpl_chamber",
            "select row_number() over (order by o.id) rn, o.id org_id, c.id chamber_id, p.path parent_path "
            "from orgs_organization o join registry_chamber c on c.organization_id = o.id "
            "join orgs_organization p on p.id = o.parent_id where o.kind = 'chamber' and o.code not like 'PVC%'",
            "chamber",
        )
        done = scalar(cur, "select count(*) from orgs_organization where code like 'PVC%'")
        org_base = scalar(cur, "select coalesce(max(id), 0) from orgs_organization") - done
        chamber_base = scalar(cur, "select coalesce(max(id), 0) from registry_chamber") - done
        cur.execute(
            f"""create temp table cmap on commit drop as
            select g, {org_base} + g org_id, {chamber_base} + g chamber_id, t.org_id tpl_org, t.chamber_id tpl_chamber,
                   'PVC' || lpad(g::text, 7, '0') code, t.parent_path || 'PVC' || lpad(g::text, 7, '0') || '/' path
            from generate_series({done + 1}, {done + need}) g join tpl_chamber t on t.rn = 1 + (g - 1) % {n}"""
        )
        insert(
            cur,
            "orgs_organization",
            "cmap m join orgs_organization t on t.id = m.tpl_org",
            {"id": "m.org_id", "code": "m.code", "path": "m.path", "name": "t.name || '（' || m.g || '）'"},
        )
        insert(
            cur,
            "registry_chamber",
            "cmap m join registry_chamber t on t.id = m.tpl_chamber",
            {"id": "m.chamber_id", "organization_id": "m.org_id", "org_path": "m.path"},
        )
        for child in ("registry_chamberterm", "registry_chamberrating"):
            insert(cur, child, f"cmap m join {child} t on t.chamber_id = m.tpl_chamber", {"chamber_id": "m.chamber_id"})
            sync_sequence(cur, child)
        sync_sequence(cur, "orgs_organization")
        sync_sequence(cur, "registry_chamber")
        return f"{need:,} chambers made from {n:,} demo chambers"


# ---------------------------------------------------------------------------------------------------- enterprises


def enterprises(target: int, member_share: float) -> str | None:
    with connection.cursor() as cur:
        need = target - scalar(cur, "select count(*) from registry_enterprise")
        if need <= 0:
            return None
        n = enterprise_templates(cur)
        done = scalar(cur, f"select count(*) from registry_enterprise where {COPY}")
        base = scalar(cur, "select coalesce(max(id), 0) from registry_enterprise") - done
        cur.execute(
            f"""create temp table emap on commit drop as
            select g, {base} + g new_id, t.id tpl_id, (g - 1) / {n} j
            from generate_series({done + 1}, {done + need}) g join tpl_ent t on t.rn = 1 + (g - 1) % {n}"""
        )
        cur.execute("analyze emap")
        every = max(1, round(1 / member_share)) if member_share > 0 else 0
        children = ["registry_enterpriseyearfigures", "registry_enterprisecontact", "registry_member"]
        with IndexesDropped(cur, ["registry_enterprise", *children]):
            insert(
                cur,
                "registry_enterprise",
                "emap m join registry_enterprise t on t.id = m.tpl_id",
                {
                    "id": "m.new_id",
                    "credit_code": "pg_temp.uscc('91' || t.region_code || 'P' || lpad(m.g::text, 8, '0'))",
                    "name": "regexp_replace(t.name, '(有限责任公司|股份有限公司|有限公司|公司|厂|店)?$', m.g::text || '\\1')",
                },
            )
            figures = insert(
                cur,
                "registry_enterpriseyearfigures",
                "emap m join registry_enterpriseyearfigures t on t.enterprise_id = m.tpl_id",
                {"enterprise_id": "m.new_id"},
            )
            contacts = insert(
                cur,
                "registry_enterprisecontact",
                "emap m join registry_enterprisecontact t on t.enterprise_id = m.tpl_id",
                {"enterprise_id": "m.new_id"},
            )
            members = _members(cur, every)
        for table in ["registry_enterprise", *children]:
            sync_sequence(cur, table)
        return (
            f"{need:,} enterprises made from {n:,} demo enterprises, with {figures:,} yearly figures, "
            f"{contacts:,} contacts and {members:,} memberships"
        )


def enterprise_templates(cur) -> int:
    """tpl_ent(rn, id): the demo's enterprises, numbered; a copy's serial g says its template (rn = 1 + (g-1) % n)."""
    return templates(
        cur,
        "tpl_ent",
        f"""select row_number() over (order by id) rn, id from registry_enterprise
        where not is_provisional and region_code ~ '^[0-9]{{6}}$'
          and id < coalesce((select min(id) from registry_enterprise where {COPY}), 'infinity'::float8)""",
        "enterprise",
    )


def _members(cur, every: int) -> int:
    if not every:
        return 0
    # Chambers by FIC, numbered k, so a copied chamber membership moves to another chamber of the same FIC: the
    # template chamber's own k shifted by the copy's serial, so two memberships of one enterprise stay apart.
    cur.execute(
        "create temp table cbp on commit drop as select parent_id, id, path, "
        "row_number() over (partition by parent_id order by id) - 1 k, count(*) over (partition by parent_id) cnt "
        "from orgs_organization where kind = 'chamber'"
    )
    cur.execute("create index on cbp (parent_id, k)")
    cur.execute("analyze cbp")
    return insert(
        cur,
        "registry_member",
        f"""emap m join registry_member t on t.enterprise_id = m.tpl_id
            join orgs_organization o on o.id = t.organization_id
            left join (select distinct parent_id, cnt from cbp) cc on o.kind = 'chamber' and cc.parent_id = o.parent_id
            left join cbp tk on tk.id = o.id
            left join cbp c on c.parent_id = cc.parent_id and c.k = (m.g::bigint * 7919 + tk.k) % cc.cnt
            where m.g % {every} = 0""",
        {
            "enterprise_id": "m.new_id",
            "organization_id": "coalesce(c.id, t.organization_id)",
            "org_path": "coalesce(c.path, t.org_path)",
            "group_id": "null",
        },
    )


def enterprise_copies(cur) -> int:
    """emap(new_id, tpl_id, j) for every generated enterprise, read back from the serial in its credit code;
    returns how many copies every template has at least (0 when none were made)."""
    n = enterprise_templates(cur)
    cur.execute(
        f"""create temp table emap on commit drop as
        select e.id new_id, t.id tpl_id, (e.g - 1) / {max(n, 1)} j
        from (select id, substr(credit_code, 10, 8)::int g from registry_enterprise where {COPY}) e
        join tpl_ent t on t.rn = 1 + (e.g - 1) % {max(n, 1)}"""
    )
    cur.execute("create index on emap (tpl_id, j)")
    cur.execute("analyze emap")
    return scalar(cur, "select coalesce(min(c), 0) from (select count(*) c from emap group by tpl_id) x")
