# ruff: noqa: E501 -- benchmark generator: SQL statements kept on one line
"""Appeals of the province profile, copied from the demo's onto the enterprises' copies (see generate.py)."""

from __future__ import annotations

from copy_registry import enterprise_copies
from django.db import connection
from sqlcopy import IndexesDropped, insert, scalar, sync_sequence, templates

CLOSED = ("closed", "rejected", "merged")
APPEAL_COPY = "number like 'P%'"  # a generated appeal: P + 11-digit serial


def appeals(target: int) -> str | None:
    with connection.cursor() as cur:
        need = target - scalar(cur, "select count(*) from appeals_appeal")
        if need <= 0:
            return None
        n = templates(
            cur,
            "tpl_app",
            "select row_number() over (order by id) rn, id, enterprise_id, status, merged_into_id from appeals_appeal "
            f"where id < coalesce((select min(id) from appeals_appeal where {APPEAL_COPY}), 'infinity'::float8)",
            "appeal",
        )
        cur.execute("create index on tpl_app (id)")
        done = scalar(cur, f"select count(*) from appeals_appeal where {APPEAL_COPY}")
        base = scalar(cur, "select coalesce(max(id), 0) from appeals_appeal") - done
        copies = enterprise_copies(cur)
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
        # the copy's enterprise name (kept by triggers in the application, which session_replication_role = replica
        # switches off here: appeals/enterprise_name.py)
        source += f" join registry_enterprise en on en.id = {enterprise}"
        merged = f"case when mt.id is null then null when m.j * {n} + mt.rn between {done + 1} and {done + need} then {base} + m.j * {n} + mt.rn else t.merged_into_id end"
        children = ["appeals_appealevent", "appeals_appeal_co_departments", "appeals_extensionrequest"]
        with IndexesDropped(cur, ["appeals_appeal", *children]):
            insert(
                cur,
                "appeals_appeal",
                source,
                {
                    "id": "m.new_id",
                    "number": "'P' || lpad(m.g::text, 11, '0')",
                    "enterprise_id": enterprise,
                    "enterprise_name": "en.name",
                    "merged_into_id": merged,
                    "submission_key": "''",
                    # the demo's meetings are not multiplied: only the first copy of an issue raised at a meeting
                    # stays on it (a meeting then has about twice the demo's issues); later copies were raised on
                    # a visit. Every copy on its meeting put 130,620 appeals on 556 meetings.
                    "meeting_id": "case when m.j = 0 then t.meeting_id end",
                    "channel": "case when m.j > 0 and t.channel = 'meeting' then 'visit' else t.channel end",
                },
                shift="m.shift",
            )
            events = insert(
                cur,
                "appeals_appealevent",
                "amap m join appeals_appealevent t on t.appeal_id = m.tpl_id",
                {"appeal_id": "m.new_id"},
                shift="m.shift",
            )
            insert(
                cur,
                "appeals_appeal_co_departments",
                "amap m join appeals_appeal_co_departments t on t.appeal_id = m.tpl_id",
                {"appeal_id": "m.new_id"},
            )
            insert(
                cur,
                "appeals_extensionrequest",
                "amap m join appeals_extensionrequest t on t.appeal_id = m.tpl_id",
                {"appeal_id": "m.new_id"},
                shift="m.shift",
            )
        for table in ["appeals_appeal", *children]:
            sync_sequence(cur, table)
        return f"{need:,} appeals made from {n:,} demo appeals, with {events:,} events"
