# ruff: noqa: E501 -- benchmark generator: SQL statements kept on one line
"""The province profile in PostgreSQL, generated from the demo: every row is a copy of a demo row made inside
the database (``INSERT … SELECT`` over ``generate_series``), so a new column of a model is copied without a
change here, and nothing crosses the wire but the statements.

What is multiplied, and how the copies stay coherent:
- chambers: chamber organisations (a new code and path under the same FIC as their template) with their
  registry record, terms and ratings;
- enterprises: a new, valid credit code (``91`` + region + ``P`` + serial + the GB 32100 check character) and a
  numbered name; each copy keeps its template's FIC, region, industry, size and sealed contact fields, and gets
  the template's yearly figures and contacts; ``member_share`` of the copies also get the template's
  memberships, a chamber membership moved to another chamber of the same FIC;
- appeals: a copy belongs to a copy of its template's enterprise (same FIC, so the same departments), with its
  events, co-handling departments and extension requests; a closed template's copies are moved back by 0–394
  days or a year more, so the appeals cover two years, while open appeals stay where they are (recent);
- policies: numbered copies of the demo's policies (same rules, issuers and scope).

Each run adds only what is missing: copy number g (its serial) continues after the copies already made and
takes the next free id (max id + g - copies made), so a larger target later adds to the same database.
Secondary indexes of the big tables are dropped for the load and built again afterwards; foreign keys are not
checked row by row during the load (``session_replication_role = replica``) but by anti-joins at the end.
No audit row is written (the copies have no history of their own), so the audit chain is the demo's and stays
valid. Rollups, sequences, statistics and the policy search index are rebuilt at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CLOSED = ("closed", "rejected", "merged")
APPEAL_COPY = "number like 'P%'"  # a generated appeal: P + 11-digit serial
POLICY_MARK = "批）"  # a generated policy's title ends （第N批）
COPY = "substr(credit_code, 9, 1) = 'P'"  # a generated enterprise: 91 + region + P + 8-digit serial + check


@dataclass
class Targets:
    enterprises: int
    appeals: int  # in total, over two years
    chambers: int
    policies: int
    member_share: float = 0.1


def counts() -> dict[str, int]:
    sql = {
        "enterprises": "select count(*) from registry_enterprise",
        "appeals": "select count(*) from appeals_appeal",
        "appeal events": "select count(*) from appeals_appealevent",
        "chambers": "select count(*) from orgs_organization where kind = 'chamber'",
        "members": "select count(*) from registry_member",
        "policies": "select count(*) from policies_policy",
        "audit rows": "select count(*) from core_auditentry",
    }
    out = {}
    with connection.cursor() as cur:
        for name, query in sql.items():
            try:
                with transaction.atomic():
                    cur.execute(query)
                    out[name] = cur.fetchone()[0]
            except Exception:  # a table renamed by a later migration: stated as missing, not fatal
                out[name] = -1
    return out


def generate(targets: Targets, log: Callable[[str], None] = print) -> dict[str, float]:
    """Bring the database up to ``targets`` (idempotent: only the missing rows are made). Seconds per step."""
    timings: dict[str, float] = {}

    def step(name: str, fn: Callable[[], str | None]) -> None:
        t0 = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("set local session_replication_role = replica")
                cur.execute("set local maintenance_work_mem = '512MB'")
                _functions(cur)
            said = fn()
        timings[name] = time.perf_counter() - t0
        log(f"  {name}: {said or 'nothing to do'} ({timings[name]:.1f} s)")

    step("chambers", lambda: _chambers(targets.chambers))
    step("enterprises", lambda: _enterprises(targets.enterprises, targets.member_share))
    step("appeals", lambda: _appeals(targets.appeals))
    step("policies", lambda: _policies(targets.policies))
    step("integrity", _integrity)
    t0 = time.perf_counter()
    _finish(log)
    timings["indexes, rollups, statistics, search index"] = time.perf_counter() - t0
    return timings


# ---------------------------------------------------------------------------------------------------- helpers


def _functions(cur) -> None:
    weights = ",".join(map(str, WEIGHTS))
    cur.execute(
        f"""
        create or replace function pg_temp.uscc(body text) returns text language sql immutable as $$
          select body || substr('{ALPHABET}', ((31 - sum((strpos('{ALPHABET}', substr(body, i::int, 1)) - 1) * w)
                 % 31) % 31)::int + 1, 1)
          from unnest(array[{weights}]) with ordinality as x(w, i)
        $$"""
    )


def _columns(cur, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "select column_name, data_type from information_schema.columns where table_schema = current_schema() "
        "and table_name = %s and is_generated = 'NEVER' order by ordinal_position",
        [table],
    )
    return cur.fetchall()


def _insert(cur, table: str, source: str, overrides: dict[str, str] | None = None, *, shift: str = "") -> int:
    """INSERT INTO table SELECT … FROM source, where ``t`` is the template row: every column is the template's
    unless overridden; ``id`` is left to its sequence unless overridden; with ``shift`` (an SQL number of
    days) every date and timestamp column is moved back by it."""
    overrides = dict(overrides or {})
    names, exprs = [], []
    for column, kind in _columns(cur, table):
        if column == "id" and column not in overrides:
            continue
        expr = overrides.get(column, f"t.{column}")
        if shift and column not in overrides:
            if kind == "date":
                expr = f"t.{column} - ({shift})::int"
            elif kind.startswith("timestamp"):
                expr = f"t.{column} - ({shift}) * interval '1 day'"
        names.append(column)
        exprs.append(expr)
    cur.execute(f"insert into {table} ({', '.join(names)}) select {', '.join(exprs)} from {source}")
    return cur.rowcount


def _scalar(cur, sql: str, params=None):
    cur.execute(sql, params)  # no parameters: % stays SQL's operator
    return cur.fetchone()[0]


def _templates(cur, name: str, select: str, what: str) -> int:
    """Temp table ``name`` of the demo rows to copy, numbered ``rn`` from 1; their count (none: stop)."""
    cur.execute(f"create temp table {name} on commit drop as {select}")
    n = _scalar(cur, f"select count(*) from {name}")
    if not n:
        raise SystemExit(f"no demo {what} to copy: seed the demo first")
    return n


class _IndexesDropped:
    """Drop a table's secondary indexes (not unique ones, nor those behind a constraint) for a bulk load; build
    them again."""

    def __init__(self, cur, tables: list[str]):
        self.cur, self.tables, self.defs = cur, tables, []

    def __enter__(self):
        for table in self.tables:
            self.cur.execute(
                "select i.relname, pg_get_indexdef(i.oid) from pg_index x join pg_class i on i.oid = x.indexrelid "
                "where x.indrelid = %s::regclass and not x.indisunique and not exists "
                "(select 1 from pg_constraint c where c.conindid = x.indexrelid)",
                [table],
            )
            for name, definition in self.cur.fetchall():
                self.defs.append(definition)
                self.cur.execute(f'drop index "{name}"')
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            for definition in self.defs:
                self.cur.execute(definition)


def _sync_sequence(cur, table: str) -> None:
    cur.execute(
        f"select setval(pg_get_serial_sequence('{table}', 'id'), greatest(1, (select coalesce(max(id), 0) from {table})))"
    )


# ---------------------------------------------------------------------------------------------------- chambers


def _chambers(target: int) -> str | None:
    with connection.cursor() as cur:
        need = target - _scalar(cur, "select count(*) from orgs_organization where kind = 'chamber'")
        if need <= 0:
            return None
        n = _templates(
            cur,
            "tpl_chamber",
            "select row_number() over (order by o.id) rn, o.id org_id, c.id chamber_id, p.path parent_path "
            "from orgs_organization o join registry_chamber c on c.organization_id = o.id "
            "join orgs_organization p on p.id = o.parent_id where o.kind = 'chamber' and o.code not like 'PVC%'",
            "chamber",
        )
        done = _scalar(cur, "select count(*) from orgs_organization where code like 'PVC%'")
        org_base = _scalar(cur, "select coalesce(max(id), 0) from orgs_organization") - done
        chamber_base = _scalar(cur, "select coalesce(max(id), 0) from registry_chamber") - done
        cur.execute(
            f"""create temp table cmap on commit drop as
            select g, {org_base} + g org_id, {chamber_base} + g chamber_id, t.org_id tpl_org, t.chamber_id tpl_chamber,
                   'PVC' || lpad(g::text, 7, '0') code, t.parent_path || 'PVC' || lpad(g::text, 7, '0') || '/' path
            from generate_series({done + 1}, {done + need}) g join tpl_chamber t on t.rn = 1 + (g - 1) % {n}"""
        )
        _insert(
            cur,
            "orgs_organization",
            "cmap m join orgs_organization t on t.id = m.tpl_org",
            {"id": "m.org_id", "code": "m.code", "path": "m.path", "name": "t.name || '（' || m.g || '）'"},
        )
        _insert(
            cur,
            "registry_chamber",
            "cmap m join registry_chamber t on t.id = m.tpl_chamber",
            {"id": "m.chamber_id", "organization_id": "m.org_id", "org_path": "m.path"},
        )
        for child in ("registry_chamberterm", "registry_chamberrating"):
            _insert(
                cur, child, f"cmap m join {child} t on t.chamber_id = m.tpl_chamber", {"chamber_id": "m.chamber_id"}
            )
            _sync_sequence(cur, child)
        _sync_sequence(cur, "orgs_organization")
        _sync_sequence(cur, "registry_chamber")
        return f"{need:,} chambers made from {n:,} demo chambers"


# ---------------------------------------------------------------------------------------------------- enterprises


def _enterprises(target: int, member_share: float) -> str | None:
    with connection.cursor() as cur:
        need = target - _scalar(cur, "select count(*) from registry_enterprise")
        if need <= 0:
            return None
        n = _enterprise_templates(cur)
        done = _scalar(cur, f"select count(*) from registry_enterprise where {COPY}")
        base = _scalar(cur, "select coalesce(max(id), 0) from registry_enterprise") - done
        cur.execute(
            f"""create temp table emap on commit drop as
            select g, {base} + g new_id, t.id tpl_id, (g - 1) / {n} j
            from generate_series({done + 1}, {done + need}) g join tpl_ent t on t.rn = 1 + (g - 1) % {n}"""
        )
        cur.execute("analyze emap")
        every = max(1, round(1 / member_share)) if member_share > 0 else 0
        children = ["registry_enterpriseyearfigures", "registry_enterprisecontact", "registry_member"]
        with _IndexesDropped(cur, ["registry_enterprise", *children]):
            _insert(
                cur,
                "registry_enterprise",
                "emap m join registry_enterprise t on t.id = m.tpl_id",
                {
                    "id": "m.new_id",
                    "credit_code": "pg_temp.uscc('91' || t.region_code || 'P' || lpad(m.g::text, 8, '0'))",
                    "name": "regexp_replace(t.name, '(有限责任公司|股份有限公司|有限公司|公司|厂|店)?$', m.g::text || '\\1')",
                },
            )
            figures = _insert(
                cur,
                "registry_enterpriseyearfigures",
                "emap m join registry_enterpriseyearfigures t on t.enterprise_id = m.tpl_id",
                {"enterprise_id": "m.new_id"},
            )
            contacts = _insert(
                cur,
                "registry_enterprisecontact",
                "emap m join registry_enterprisecontact t on t.enterprise_id = m.tpl_id",
                {"enterprise_id": "m.new_id"},
            )
            members = _members(cur, every)
        for table in ["registry_enterprise", *children]:
            _sync_sequence(cur, table)
        return (
            f"{need:,} enterprises made from {n:,} demo enterprises, with {figures:,} yearly figures, "
            f"{contacts:,} contacts and {members:,} memberships"
        )


def _enterprise_templates(cur) -> int:
    """tpl_ent(rn, id): the demo's enterprises, numbered; a copy's serial g says its template (rn = 1 + (g-1) % n)."""
    return _templates(
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
    return _insert(
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


# ---------------------------------------------------------------------------------------------------- appeals


def _appeals(target: int) -> str | None:
    with connection.cursor() as cur:
        need = target - _scalar(cur, "select count(*) from appeals_appeal")
        if need <= 0:
            return None
        n = _templates(
            cur,
            "tpl_app",
            "select row_number() over (order by id) rn, id, enterprise_id, status, merged_into_id from appeals_appeal "
            f"where id < coalesce((select min(id) from appeals_appeal where {APPEAL_COPY}), 'infinity'::float8)",
            "appeal",
        )
        cur.execute("create index on tpl_app (id)")
        done = _scalar(cur, f"select count(*) from appeals_appeal where {APPEAL_COPY}")
        base = _scalar(cur, "select coalesce(max(id), 0) from appeals_appeal") - done
        copies = _enterprise_copies(cur)
        closed = ", ".join(f"'{s}'" for s in CLOSED)
        # shift: a closed appeal's copy is moved back by 0–394 days (odd copies a year more); open ones stay.
        cur.execute(
            f"""create temp table amap on commit drop as
            select g, {base} + g new_id, t.id tpl_id, t.rn, (g - 1) / {n} j, t.enterprise_id tpl_ent, t.merged_into_id,
                   case when t.status in ({closed}) then ((g - 1) / {n}) % 2 * 365 + (g * 37) % 30 else 0 end shift
            from generate_series({done + 1}, {done + need}) g join tpl_app t on t.rn = 1 + (g - 1) % {n}"""
        )
        cur.execute("create index on amap (tpl_id)")
        cur.execute("analyze amap")
        enterprise = "t.enterprise_id"
        source = "amap m join appeals_appeal t on t.id = m.tpl_id"
        if copies:
            source += f" left join emap e on e.tpl_id = m.tpl_ent and e.j = m.j % {copies}"
            enterprise = "coalesce(e.new_id, t.enterprise_id)"
        source += " left join tpl_app mt on mt.id = m.merged_into_id"
        merged = f"case when mt.id is null then null when m.j * {n} + mt.rn between {done + 1} and {done + need} then {base} + m.j * {n} + mt.rn else t.merged_into_id end"
        children = ["appeals_appealevent", "appeals_appeal_co_departments", "appeals_extensionrequest"]
        with _IndexesDropped(cur, ["appeals_appeal", *children]):
            _insert(
                cur,
                "appeals_appeal",
                source,
                {
                    "id": "m.new_id",
                    "number": "'P' || lpad(m.g::text, 11, '0')",
                    "enterprise_id": enterprise,
                    "merged_into_id": merged,
                    "submission_key": "''",
                },
                shift="m.shift",
            )
            events = _insert(
                cur,
                "appeals_appealevent",
                "amap m join appeals_appealevent t on t.appeal_id = m.tpl_id",
                {"appeal_id": "m.new_id"},
                shift="m.shift",
            )
            _insert(
                cur,
                "appeals_appeal_co_departments",
                "amap m join appeals_appeal_co_departments t on t.appeal_id = m.tpl_id",
                {"appeal_id": "m.new_id"},
            )
            _insert(
                cur,
                "appeals_extensionrequest",
                "amap m join appeals_extensionrequest t on t.appeal_id = m.tpl_id",
                {"appeal_id": "m.new_id"},
                shift="m.shift",
            )
        for table in ["appeals_appeal", *children]:
            _sync_sequence(cur, table)
        return f"{need:,} appeals made from {n:,} demo appeals, with {events:,} events"


def _enterprise_copies(cur) -> int:
    """emap(new_id, tpl_id, j) for every generated enterprise, read back from the serial in its credit code;
    returns how many copies every template has at least (0 when none were made)."""
    n = _enterprise_templates(cur)
    cur.execute(
        f"""create temp table emap on commit drop as
        select e.id new_id, t.id tpl_id, (e.g - 1) / {max(n, 1)} j
        from (select id, substr(credit_code, 10, 8)::int g from registry_enterprise where {COPY}) e
        join tpl_ent t on t.rn = 1 + (e.g - 1) % {max(n, 1)}"""
    )
    cur.execute("create index on emap (tpl_id, j)")
    cur.execute("analyze emap")
    return _scalar(cur, "select coalesce(min(c), 0) from (select count(*) c from emap group by tpl_id) x")


# ---------------------------------------------------------------------------------------------------- policies


def _policies(target: int) -> str | None:
    with connection.cursor() as cur:
        have = _scalar(cur, "select count(*) from policies_policy")
        need = target - have
        if need <= 0:
            return None
        n = _templates(
            cur,
            "tpl_pol",
            f"select row_number() over (order by id) rn, id from policies_policy where title not like '%{POLICY_MARK}'",
            "policy",
        )
        done = have - n
        base = _scalar(cur, "select coalesce(max(id), 0) from policies_policy") - done
        cur.execute(
            f"""create temp table pmap on commit drop as select g, {base} + g new_id, t.id tpl_id
            from generate_series({done + 1}, {done + need}) g join tpl_pol t on t.rn = 1 + (g - 1) % {n}"""
        )
        _insert(
            cur,
            "policies_policy",
            "pmap m join policies_policy t on t.id = m.tpl_id",
            {"id": "m.new_id", "title": f"t.title || '（第' || m.g || '{POLICY_MARK}'"},
        )
        _sync_sequence(cur, "policies_policy")
        return f"{need:,} policies made from {n:,} demo policies"


# ---------------------------------------------------------------------------------------------------- checks, finish


INTEGRITY = {
    "appeal → enterprise": "appeals_appeal a left join registry_enterprise e on e.id = a.enterprise_id where e.id is null",
    "appeal → merged": "appeals_appeal a left join appeals_appeal b on b.id = a.merged_into_id "
    "where a.merged_into_id is not null and b.id is null",
    "event → appeal": "appeals_appealevent v left join appeals_appeal a on a.id = v.appeal_id where a.id is null",
    "member → enterprise": "registry_member m left join registry_enterprise e on e.id = m.enterprise_id "
    "where m.enterprise_id is not null and e.id is null",
    "member → organisation": "registry_member m left join orgs_organization o on o.id = m.organization_id where o.id is null",
    "chamber → organisation": "registry_chamber c left join orgs_organization o on o.id = c.organization_id where o.id is null",
    "figures → enterprise": "registry_enterpriseyearfigures f left join registry_enterprise e on e.id = f.enterprise_id "
    "where e.id is null",
    "appeal scope = enterprise FIC": "appeals_appeal a join registry_enterprise e on e.id = a.enterprise_id "
    "where a.org_path <> e.org_path and not e.is_provisional",
}


def _integrity() -> str:
    """The foreign keys not checked during the load, checked at once (and the appeal's scope its enterprise's)."""
    bad = {}
    with connection.cursor() as cur:
        for name, body in INTEGRITY.items():
            found = _scalar(cur, f"select count(*) from {body}")
            if found:
                bad[name] = found
    if bad:
        raise SystemExit(f"generated data is inconsistent: {bad}")
    return f"{len(INTEGRITY)} reference checks: 0 dangling rows"


def _finish(log: Callable[[str], None]) -> None:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("rebuild_rollups", verbosity=0)
    log(f"  rollups rebuilt ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    old = connection.autocommit
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cur:
            cur.execute("vacuum analyze")
    finally:
        connection.set_autocommit(old)
    log(f"  vacuum analyze ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    call_command("rebuild_policy_index", verbosity=0)
    log(f"  policy search index rebuilt ({time.perf_counter() - t0:.1f} s)")
