"""Exports of any filtered list, in the import's own columns so the file re-imports unchanged.

Personal numbers are masked unless the user holds registry.view_pii; re-importing a masked number
keeps the stored one (see enterprises.importing).
"""

import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from qinqing.core import cellsafety

from .choices import ChamberType, DeputyLevel, MemberKind, MemberRole, PartyOrgType, Qualification, RegistrationStatus
from .importing.columns import CHAMBER_COLUMNS, ENTERPRISE_COLUMNS, MEMBER_COLUMNS, Column
from .masking import show_id, show_mobile
from .models import EnterpriseYearFigures
from .standards import industry
from .templatetags.registry_names import region_names

CHUNK = 2000
QUALIFICATION_LABELS = dict(Qualification.choices)
YEAR_FIGURES = ("employees", "revenue_wan", "total_assets_wan", "tax_wan", "rd_spend_wan")
NUMERIC = {"employees", "revenue_wan", "total_assets_wan", "tax_wan", "rd_spend_wan", "year"}


def _qualifications(codes: str) -> str:
    return "、".join(str(QUALIFICATION_LABELS.get(c, c)) for c in codes.split(",") if c)


def enterprise_rows(queryset, user) -> Iterator[list]:
    fields = [
        "id",
        "credit_code",
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
        "size_class",
        "serious_dishonesty",
        "non_private_controlled",
    ]
    last_id = 0
    base = queryset.order_by("id")
    while True:
        chunk = list(base.filter(id__gt=last_id).values(*fields)[:CHUNK])
        if not chunk:
            break
        last_id = chunk[-1]["id"]
        regions = region_names(r["region_code"] for r in chunk)
        latest: dict[int, dict] = {}
        for fig in (
            EnterpriseYearFigures.objects.filter(enterprise_id__in=[r["id"] for r in chunk])
            .order_by("year")
            .values("enterprise_id", "year", *YEAR_FIGURES)
        ):
            latest[fig["enterprise_id"]] = fig
        for r in chunk:
            values = {
                **r,
                "legal_rep_id_number": show_id(r["legal_rep_id_number"], user),
                "contact_mobile": show_mobile(r["contact_mobile"], user),
                "founded_on": r["founded_on"].isoformat() if r["founded_on"] else "",
                "qualifications": _qualifications(r["qualifications"]),
                "industry_name": industry.label(r["industry_code"]) if r["industry_code"] else "",
                "region_name": regions.get(r["region_code"], ""),
                "serious_dishonesty": "是" if r["serious_dishonesty"] else "否",
                "non_private_controlled": "是" if r["non_private_controlled"] else "否",
            }
            fig = latest.get(r["id"])
            if fig is not None:
                # One coherent set: every figure of the row is the named year's. The current figures are
                # not mixed in; re-importing this row leaves both the year and the current figures as
                # they are (the import only moves a *changed* latest-year figure into the current one).
                values.update({key: fig[key] for key in ("year", *YEAR_FIGURES)})
            yield [values.get(c.key) for c in ENTERPRISE_COLUMNS]


def member_rows(queryset, user) -> Iterator[list]:
    kinds = dict(MemberKind.choices)
    roles = dict(MemberRole.choices)
    levels = dict(DeputyLevel.choices)
    for m in queryset.select_related("organization", "enterprise", "group").order_by("id").iterator(chunk_size=CHUNK):
        values = {
            "credit_code": m.enterprise.credit_code if m.enterprise_id else "",
            "name": m.display_name,
            "kind": str(kinds[m.kind]),
            "organization": m.organization.code,
            "group_code": m.group.code if m.group_id else "",
            "person_name": m.person_name,
            "id_number": show_id(m.id_number, user),
            "mobile": show_mobile(m.mobile, user),
            "role": str(roles.get(m.role, m.role)),
            "joined_on": m.joined_on.isoformat(),
            "left_on": m.left_on.isoformat() if m.left_on else "",
            "npc_level": str(levels.get(m.npc_level, m.npc_level)) if m.npc_level else "",
            "cppcc_level": str(levels.get(m.cppcc_level, m.cppcc_level)) if m.cppcc_level else "",
            "status": m.get_status_display(),
        }
        yield [values.get(c.key) for c in MEMBER_COLUMNS]


def chamber_rows(queryset, user) -> Iterator[list]:
    """Chambers in the chamber import's columns (名称 within 所属工商联 is the key, with the credit code)."""
    types = dict(ChamberType.choices)
    statuses = dict(RegistrationStatus.choices)
    party_types = dict(PartyOrgType.choices)
    chambers = queryset.select_related("organization", "organization__parent").prefetch_related("terms", "ratings")
    for c in chambers.order_by("id").iterator(chunk_size=CHUNK):
        org = c.organization
        term = max(c.terms.all(), key=lambda t: t.number, default=None)
        years: dict[str, list[str]] = {}
        for rating in sorted(c.ratings.all(), key=lambda r: r.year):
            years.setdefault(f"rating_{rating.scheme}", []).append(str(rating.year))
        values = {
            "name": org.name,
            "fic": org.parent.code if org.parent_id else "",
            "code": org.code,
            "credit_code": c.credit_code,
            "chamber_type": str(types.get(c.chamber_type, c.chamber_type)),
            "registration_status": str(statuses.get(c.registration_status, c.registration_status)),
            "region_code": org.region_code,
            "registered_on": c.registered_on.isoformat() if c.registered_on else "",
            "party_org_established": "是" if c.party_org_established else "否",
            "party_members": str(c.party_members),
            "party_org_type": str(party_types.get(c.party_org_type, c.party_org_type)),
            "party_liaison": c.party_liaison,
            "has_mediation_committee": "是" if c.has_mediation_committee else "否",
            "contact_phone": org.contact_phone,
            "address": org.address,
            "term_number": str(term.number) if term else "",
            "term_starts_on": term.starts_on.isoformat() if term else "",
            "term_ends_on": c.term_ends_on.isoformat() if c.term_ends_on else "",
            "term_president": term.president if term else "",
            "term_secretary": term.secretary_general if term else "",
            **{key: "、".join(values) for key, values in years.items()},
            "note": c.note,
        }
        yield [values.get(col.key) for col in CHAMBER_COLUMNS]


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)


def write_csv(columns: list[Column], rows, out) -> None:
    """UTF-8 with BOM so Excel opens the Chinese headers correctly; a cell that would start a formula is
    quoted (core.cellsafety), and the import strips that quote again."""
    out.write("\ufeff")
    writer = cellsafety.csv_writer(out)
    writer.writerow([c.label for c in columns])
    for row in rows:
        writer.writerow([_plain(v) for v in row])


def write_xlsx(columns: list[Column], rows, target, *, example: bool = False) -> None:
    workbook = cellsafety.workbook(target, {"constant_memory": True, "in_memory": isinstance(target, io.BytesIO)})
    sheet = workbook.add_worksheet(_("数据"))
    head = workbook.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.label, head)
        sheet.set_column(col, col, max(12, len(column.label) * 2 + 2), text if column.key not in NUMERIC else None)
    r = 0
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if columns[col].key in NUMERIC:
                sheet.write_number(r, col, float(value))
            else:
                sheet.write_string(r, col, str(value))
    if example:
        note = workbook.add_worksheet(_("填写说明"))
        required = "、".join(c.label for c in columns if c.required)
        note.write_string(0, 0, _("第一行为列名，请勿修改；示例行可删除。必填列：%(columns)s") % {"columns": required})
        qualifications = "、".join(str(v) for v in QUALIFICATION_LABELS.values())
        note.write_string(1, 0, _("资质可填多项，用“、”分隔：%(choices)s") % {"choices": qualifications})
        note.write_string(2, 0, _("“企业规模”为系统按统计上大中小微型企业划分办法(2017)计算的列，导入时忽略。"))
    workbook.close()


def template_rows(columns: list[Column]) -> list[list]:
    return [[c.example if not c.computed else "" for c in columns]]


EXPORTS = {
    "enterprises": (ENTERPRISE_COLUMNS, enterprise_rows),
    "members": (MEMBER_COLUMNS, member_rows),
    "chambers": (CHAMBER_COLUMNS, chamber_rows),
}
