"""Enterprise import: validate columns, diff a batch against the database, upsert it with raw SQL.

The write is one multi-row upsert per batch (INSERT … ON CONFLICT (credit_code) DO UPDATE), which
SQLite and PostgreSQL both run natively; re-running a batch therefore never duplicates a row, which is
what makes a killed import resumable from its last checkpoint.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from ..choices import Qualification
from ..models import Enterprise, EnterpriseYearFigures
from ..standards import idcard, mobile, uscc

try:  # GB/T 4754 data module (written alongside); until it lands only the code's shape is checked
    from ..standards import industry
except ImportError:  # pragma: no cover
    industry = None
from . import fastcheck, parse
from .columns import ENTERPRISE_COLUMNS, HeaderMap
from .reader import Table
from .report import RowIssue

ENTERPRISE_FIELDS = [
    "name",
    "legal_representative",
    "legal_rep_id_number",
    "region_code",
    "industry_code",
    "founded_on",
    "employees",
    "revenue_wan",
    "total_assets_wan",
    "qualifications",
    "address",
    "contact_name",
    "contact_mobile",
]
FIGURE_FIELDS = ["revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]
# Which file column fills each yearly figure.
FIGURE_SOURCES = {
    "revenue_wan": "revenue_wan",
    "tax_wan": "tax_wan",
    "rd_spend_wan": "rd_spend_wan",
    "employees": "employees",
    "total_assets_wan": "total_assets_wan",
}
PII_FIELDS = {"legal_rep_id_number", "contact_mobile"}
LABELS = {c.key: c.label for c in ENTERPRISE_COLUMNS}
QUALIFICATION_LABELS = {
    **{str(label): code for code, label in Qualification.choices},
    "高企": "high_tech",
    "高新企业": "high_tech",
    "专精特新中小企业": "srdi",
    "小巨人": "little_giant",
    "专精特新“小巨人”": "little_giant",
    "制造业单项冠军": "champion",
    "上市": "listed",
    "拟上市": "pre_listing",
}


def _industry_ok(code: str) -> str:
    if industry is None:
        if not (code.isdigit() and 2 <= len(code) <= 4):
            raise ValueError("行业代码应为2至4位数字（GB/T 4754-2017）")
        return code
    try:
        found = industry.lookup(code)
    except (KeyError, ValueError):
        found = None
    if not found:
        raise ValueError("不是 GB/T 4754-2017 中的行业代码")
    return code


def _region_ok(code: str) -> str:
    if len(code) != 6 or not code.isdigit():
        raise ValueError("应为6位数字的行政区划代码")
    return code


@dataclass
class Validated:
    """Parsed columns (key → list of values, aligned with table rows) and the rows that are clean."""

    values: dict[str, list] = field(default_factory=dict)
    good: list[int] = field(default_factory=list)  # row indices without errors, in file order


def validate(table: Table, headers: HeaderMap, errors: list[RowIssue], notes: list[RowIssue]) -> Validated:
    n = len(table.rows)
    raw: dict[str, list[str]] = {}
    for key, position in headers.index.items():
        raw[key] = [row[position] if position < len(row) else "" for row in table.rows]
    out = Validated()
    bad: set[int] = set()

    def take(key: str, parsed: parse.Parsed) -> None:
        values, problems = parsed
        out.values[key] = values
        for i, reason in problems:
            bad.add(i)
            errors.append(RowIssue(i + 2, LABELS[key], raw[key][i], reason))

    # 统一社会信用代码: normalise (lower case, full width) with a note, then check the check character.
    codes = raw["credit_code"]
    normalised: list[str] = [""] * n
    for i, value in enumerate(codes):
        if not value:
            if any(row for row in table.rows[i]):
                bad.add(i)
                errors.append(RowIssue(i + 2, LABELS["credit_code"], "", "必填"))
            continue
        if fastcheck.uscc_ok(value):
            normalised[i] = value
            continue
        code, row_notes = uscc.normalize(value)
        for note in row_notes:
            notes.append(RowIssue(i + 2, LABELS["credit_code"], value, note))
        try:
            normalised[i] = uscc.validate(code)
        except uscc.InvalidCreditCode as exc:
            bad.add(i)
            errors.append(RowIssue(i + 2, LABELS["credit_code"], value, str(exc)))
    out.values["credit_code"] = normalised
    first_seen: dict[str, int] = {}
    for i, code in enumerate(normalised):
        if not code:
            continue
        if code in first_seen:
            bad.add(i)
            errors.append(RowIssue(i + 2, LABELS["credit_code"], codes[i], f"与第{first_seen[code] + 2}行重复"))
        else:
            first_seen[code] = i

    if "name" in raw:
        names = raw["name"]
        take("name", parse.text(names, 200))
        for i, v in enumerate(names):
            if not v and normalised[i]:
                bad.add(i)
                errors.append(RowIssue(i + 2, LABELS["name"], "", "必填"))
    for key, length in (("legal_representative", 50), ("address", 200), ("contact_name", 50)):
        if key in raw:
            take(key, parse.text(raw[key], length))
    if "legal_rep_id_number" in raw:
        column = raw["legal_rep_id_number"]
        masked = [v if parse.is_masked(v) else "" for v in column]
        today = datetime.date.today()
        values, problems = parse.each(
            [("" if m else v) for v, m in zip(column, masked, strict=True)],
            idcard.validate,
            (idcard.InvalidIdNumber,),
            fast=lambda v: fastcheck.id_ok(v, today),
        )
        take("legal_rep_id_number", ([m or v for v, m in zip(values, masked, strict=True)], problems))
    if "contact_mobile" in raw:
        column = raw["contact_mobile"]
        masked = [v if parse.is_masked(v) else "" for v in column]
        values, problems = parse.each(
            [("" if m else v) for v, m in zip(column, masked, strict=True)],
            mobile.validate_mobile,
            (ValueError,),
            fast=fastcheck.mobile_ok,
        )
        take("contact_mobile", ([m or v for v, m in zip(values, masked, strict=True)], problems))
    if "region_code" in raw:
        take("region_code", parse.each(raw["region_code"], _region_ok, (ValueError,)))
    if "industry_code" in raw:
        take("industry_code", parse.each(raw["industry_code"], _industry_ok, (ValueError,)))
    if "founded_on" in raw:
        take("founded_on", parse.date(raw["founded_on"]))
    if "employees" in raw:
        take("employees", parse.integer(raw["employees"]))
    for key in ("revenue_wan", "total_assets_wan", "tax_wan", "rd_spend_wan"):
        if key in raw:
            take(key, parse.decimal(raw[key]))
    if "qualifications" in raw:
        take("qualifications", parse.multi_choice(raw["qualifications"], QUALIFICATION_LABELS, "资质"))
    if "year" in raw:
        take("year", parse.year(raw["year"]))
        for key in ("tax_wan", "rd_spend_wan"):
            if key in raw:
                for i, v in enumerate(out.values[key]):
                    if v is not None and out.values["year"][i] is None and i not in bad:
                        bad.add(i)
                        errors.append(
                            RowIssue(i + 2, LABELS["year"], raw["year"][i], f"填写了{LABELS[key]}时必须填写年度")
                        )
    elif "tax_wan" in raw or "rd_spend_wan" in raw:
        for i, code in enumerate(normalised):
            if (
                code
                and i not in bad
                and any(out.values.get(k, [None] * n)[i] is not None for k in ("tax_wan", "rd_spend_wan"))
            ):
                bad.add(i)
                errors.append(RowIssue(i + 2, LABELS["year"], "", "填写了年度数据时必须有“年度”列"))
    out.good = [i for i, code in enumerate(normalised) if code and i not in bad]
    errors.sort(key=lambda e: e.row)
    return out


@dataclass
class Scope:
    """Where new enterprises go: the FIC node for each region code under the importing organisation."""

    root_id: int
    root_path: str
    by_region: dict[str, tuple[int, str]]

    @classmethod
    def for_org(cls, org) -> "Scope":
        from qinqing.orgs.models import Organization

        fics = Organization.objects.filter(kind="fic", path__startswith=org.path).values_list(
            "region_code", "id", "path"
        )
        return cls(org.id, org.path, {code: (pk, path) for code, pk, path in fics})

    def place(self, region_code: str) -> tuple[int, str]:
        if region_code:
            for candidate in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
                if candidate in self.by_region:
                    return self.by_region[candidate]
        return self.root_id, self.root_path


_size_cache: dict[tuple, str] = {}


def compute_size(industry_code: str, employees, revenue_wan, assets_wan) -> str:
    key = (industry_code, employees, revenue_wan, assets_wan)
    size = _size_cache.get(key)
    if size is None:
        size = fastcheck.size_class(industry_code or "", employees, revenue_wan, assets_wan)
        if len(_size_cache) > 200_000:
            _size_cache.clear()
        _size_cache[key] = size
    return size


@dataclass
class BatchPlan:
    upserts: list[dict]  # full enterprise records to write (new and changed)
    figures: list[dict]  # yearly figure records to write: credit_code, year, figures
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def plan_batch(indices: list[int], data: Validated, scope: Scope, errors: list[RowIssue]) -> BatchPlan:
    """Compare a batch of clean rows with the database; rows of another FIC's subtree become errors."""
    values = data.values
    codes = [values["credit_code"][i] for i in indices]
    existing = {row["credit_code"]: row for row in _fetch_existing(codes)}
    years = values.get("year")
    figure_keys = [k for k in FIGURE_SOURCES if FIGURE_SOURCES[k] in values]
    existing_figures: dict[tuple[int, int], dict] = {}
    if years is not None and existing:
        ids = [row["id"] for row in existing.values()]
        wanted = {years[i] for i in indices if years[i] is not None}
        for row in EnterpriseYearFigures.objects.filter(enterprise_id__in=ids, year__in=wanted).values(
            "enterprise_id", "year", *FIGURE_FIELDS
        ):
            existing_figures[(row["enterprise_id"], row["year"])] = row
    plan = BatchPlan([], [])
    mapped = [f for f in ENTERPRISE_FIELDS if f in values]
    for i in indices:
        code = values["credit_code"][i]
        old = existing.get(code)
        if old is not None and not old["org_path"].startswith(scope.root_path):
            errors.append(RowIssue(i + 2, LABELS["credit_code"], code, "该企业属于其他工商联，无权修改"))
            continue
        record = dict(old) if old else {f: None for f in ENTERPRISE_FIELDS}
        for f in mapped:
            value = values[f][i]
            if f in PII_FIELDS and value and parse.is_masked(value):
                if old is None:
                    errors.append(RowIssue(i + 2, LABELS[f], value, "号码已脱敏，新企业请填写完整号码"))
                    record = None
                    break
                continue  # a masked export re-imported keeps the stored number
            record[f] = value
        if record is None:
            continue
        for f in ENTERPRISE_FIELDS:
            if record[f] is None and f not in ("founded_on", "employees", "revenue_wan", "total_assets_wan"):
                record[f] = ""
        record["credit_code"] = code
        if old is None:
            record["fic_id"], record["org_path"] = scope.place(record["region_code"])
        record["size_class"] = compute_size(
            record["industry_code"], record["employees"], record["revenue_wan"], record["total_assets_wan"]
        )
        changed = old is None or any(record[f] != old[f] for f in (*ENTERPRISE_FIELDS, "size_class"))
        figures_changed = False
        year = years[i] if years is not None else None
        if year is not None and figure_keys:
            fig = {k: values[FIGURE_SOURCES[k]][i] for k in figure_keys}
            before = existing_figures.get((old["id"], year)) if old else None
            if before is None or any(fig[k] != before[k] for k in figure_keys):
                figures_changed = True
                plan.figures.append({"credit_code": code, "year": year, **fig})
        if old is None:
            plan.new += 1
        elif changed or figures_changed:
            plan.updated += 1
        else:
            plan.unchanged += 1
        if changed:
            plan.upserts.append(record)
    return plan


def _fetch_existing(codes: list[str]) -> list[dict]:
    """Existing rows for a batch of codes, through one raw SELECT (the ORM's IN-list handling of
    5,000 parameters costs more than the query itself)."""
    if not codes:
        return []
    names = ["id", "credit_code", "fic", "org_path", "size_class", *ENTERPRISE_FIELDS]
    fields = [Enterprise._meta.get_field(n) for n in names]
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(Enterprise._meta.db_table)} "  # noqa: S608
        f"WHERE {qn('credit_code')} IN ({', '.join(['%s'] * len(codes))})"
    )
    table = Enterprise._meta.db_table
    converters = []
    for f in fields:
        col = f.get_col(table)
        converters.append((f.attname, col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    out = []
    with connection.cursor() as cursor:
        cursor.execute(sql, codes)
        for raw in cursor.fetchall():
            row = {}
            for (name, col, convs), value in zip(converters, raw, strict=True):
                for conv in convs:
                    value = conv(value, col, connection)
                row[name] = value
            out.append(row)
    return out


def _columns(model, names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def write_batch(plan: BatchPlan) -> None:
    """Upsert enterprises, then their yearly figures. Call inside a transaction."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    if plan.upserts:
        fields = ["credit_code", "fic", "org_path", "size_class", *ENTERPRISE_FIELDS]
        cols = _columns(Enterprise, fields)
        rows = []
        for r in plan.upserts:
            row = [
                r["credit_code"],
                r["fic_id"],
                r["org_path"],
                r["size_class"],
                r["name"],
                r["legal_representative"],
                r["legal_rep_id_number"],
                r["region_code"],
                r["industry_code"],
                ops.adapt_datefield_value(r["founded_on"]),
                r["employees"],
                _dec(r["revenue_wan"]),
                _dec(r["total_assets_wan"]),
                r["qualifications"],
                r["address"],
                r["contact_name"],
                r["contact_mobile"],
                now,
                now,
            ]
            rows.append(row)
        # fic and org_path stay as they are for an existing enterprise: import never moves one between FICs.
        update = [c for c in cols if c not in ("credit_code", "fic_id", "org_path")] + ["updated_at"]
        _upsert(Enterprise._meta.db_table, [*cols, "created_at", "updated_at"], ["credit_code"], update, rows)
    if plan.figures:
        codes = list({f["credit_code"] for f in plan.figures})
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('credit_code')}, {qn('id')} FROM {qn(Enterprise._meta.db_table)} "  # noqa: S608
                f"WHERE {qn('credit_code')} IN ({', '.join(['%s'] * len(codes))})",
                codes,
            )
            ids = dict(cursor.fetchall())
        keys = [k for k in FIGURE_FIELDS if k in plan.figures[0]]
        cols = ["enterprise_id", "year", *_columns(EnterpriseYearFigures, keys)]
        rows = [
            [ids[f["credit_code"]], f["year"], *[_dec(f[k]) if k != "employees" else f[k] for k in keys], now, now]
            for f in plan.figures
        ]
        _upsert(
            EnterpriseYearFigures._meta.db_table,
            [*cols, "created_at", "updated_at"],
            ["enterprise_id", "year"],
            [*cols[2:], "updated_at"],
            rows,
        )


def _dec(value: Decimal | None):
    return None if value is None else connection.ops.adapt_decimalfield_value(value, 16, 2)


def _upsert(table: str, cols: list[str], conflict: list[str], update: list[str], rows: list[list]) -> None:
    qn = connection.ops.quote_name
    col_sql = ", ".join(qn(c) for c in cols)
    set_sql = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in update)
    conflict_sql = ", ".join(qn(c) for c in conflict)
    if connection.vendor == "postgresql":
        _upsert_copy(table, cols, col_sql, conflict_sql, set_sql, rows)
        return
    placeholders = ", ".join(["%s"] * len(cols))
    sql = (
        # Identifiers come from model metadata, values are parameters.
        f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({conflict_sql}) DO UPDATE SET {set_sql}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _upsert_copy(table: str, cols: list[str], col_sql: str, conflict_sql: str, set_sql: str, rows: list[list]) -> None:
    """PostgreSQL: COPY the batch into a temporary table, then one INSERT … SELECT … ON CONFLICT."""
    qn = connection.ops.quote_name
    temp = f"tmp_{table}"
    with connection.cursor() as cursor:
        # Column types without the table's constraints; dropped at commit, so a resumed batch starts clean.
        cursor.execute(f"DROP TABLE IF EXISTS {qn(temp)}")
        cursor.execute(
            f"CREATE TEMP TABLE {qn(temp)} ON COMMIT DROP AS SELECT {col_sql} FROM {qn(table)} WITH NO DATA"  # noqa: S608
        )
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {qn(temp)} ({col_sql}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {qn(table)} ({col_sql}) SELECT {col_sql} FROM {qn(temp)} "  # noqa: S608
            f"ON CONFLICT ({conflict_sql}) DO UPDATE SET {set_sql}"
        )


def audit_summary(plan: BatchPlan) -> dict:
    """The batch's audit row names every enterprise written, so each one's history can find it."""
    return {
        "new": plan.new,
        "updated": plan.updated,
        "credit_codes": [r["credit_code"] for r in plan.upserts],
        "figures": [f"{f['credit_code']}:{f['year']}" for f in plan.figures],
    }
