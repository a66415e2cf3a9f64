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

from copy_appeals import appeals
from copy_registry import chambers, enterprises
from django.db import connection, transaction
from sqlcopy import define_uscc, insert, scalar, sync_sequence, templates

POLICY_MARK = "批）"  # a generated policy's title ends （第N批）


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
                define_uscc(cur)
            said = fn()
        timings[name] = time.perf_counter() - t0
        log(f"  {name}: {said or 'nothing to do'} ({timings[name]:.1f} s)")

    step("chambers", lambda: chambers(targets.chambers))
    step("enterprises", lambda: enterprises(targets.enterprises, targets.member_share))
    step("appeals", lambda: appeals(targets.appeals))
    step("policies", lambda: _policies(targets.policies))
    step("integrity", _integrity)
    t0 = time.perf_counter()
    _finish(log)
    timings["indexes, rollups, statistics, search index"] = time.perf_counter() - t0
    return timings


# ---------------------------------------------------------------------------------------------------- policies


def _policies(target: int) -> str | None:
    with connection.cursor() as cur:
        have = scalar(cur, "select count(*) from policies_policy")
        need = target - have
        if need <= 0:
            return None
        n = templates(
            cur,
            "tpl_pol",
            f"select row_number() over (order by id) rn, id from policies_policy where title not like '%{POLICY_MARK}'",
            "policy",
        )
        done = have - n
        base = scalar(cur, "select coalesce(max(id), 0) from policies_policy") - done
        cur.execute(
            f"""create temp table pmap on commit drop as select g, {base} + g new_id, t.id tpl_id
            from generate_series({done + 1}, {done + need}) g join tpl_pol t on t.rn = 1 + (g - 1) % {n}"""
        )
        insert(
            cur,
            "policies_policy",
            "pmap m join policies_policy t on t.id = m.tpl_id",
            {"id": "m.new_id", "title": f"t.title || '（第' || m.g || '{POLICY_MARK}'"},
        )
        sync_sequence(cur, "policies_policy")
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
            found = scalar(cur, f"select count(*) from {body}")
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
