"""What bench/import_enterprises/run.py measures qinqing's import against, in the same child: another reader of the
file (python-calamine's rows) and django-import-export, its read of the file (tablib → openpyxl) and its standard
import of the first rows."""

import time
from pathlib import Path


def calamine_read(path: Path) -> float:
    """Another reader measured against the bare read: python-calamine's rows, one Python list per row (it
    also parses the whole sheet first; fastexcel is calamine with Arrow output). Untidied: a lower bound."""
    import python_calamine

    t = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    count = sum(1 for _row in sheet.iter_rows())
    elapsed = time.perf_counter() - t
    assert count > 1
    return elapsed


def die_read(path: Path) -> float:
    """How django-import-export reads an uploaded .xlsx (its XLSX format: tablib → openpyxl), whole file."""
    import tablib

    t = time.perf_counter()
    with path.open("rb") as fh:
        data = tablib.Dataset().load(fh, format="xlsx")
    elapsed = time.perf_counter() - t
    assert data.height > 0
    return elapsed


def die_import(path: Path, county, limit: int) -> float:
    """django-import-export's standard import (ModelResource.import_data, not bulk) of the first rows."""
    import tablib
    from import_export import fields, resources, widgets

    from qinqing.registry.importing.reader import read_table
    from qinqing.registry.models import Enterprise

    class EnterpriseResource(resources.ModelResource):
        credit_code = fields.Field(attribute="credit_code", column_name="统一社会信用代码")
        name = fields.Field(attribute="name", column_name="企业名称")
        legal_representative = fields.Field(attribute="legal_representative", column_name="法定代表人")
        legal_rep_id_number = fields.Field(attribute="legal_rep_id_number", column_name="法定代表人身份证号")
        region_code = fields.Field(attribute="region_code", column_name="行政区划代码")
        industry_code = fields.Field(attribute="industry_code", column_name="行业代码")
        founded_on = fields.Field(attribute="founded_on", column_name="成立日期", widget=widgets.DateWidget("%Y-%m-%d"))
        employees = fields.Field(attribute="employees", column_name="从业人员", widget=widgets.IntegerWidget())
        revenue_wan = fields.Field(
            attribute="revenue_wan", column_name="营业收入（万元）", widget=widgets.DecimalWidget()
        )
        total_assets_wan = fields.Field(
            attribute="total_assets_wan", column_name="资产总额（万元）", widget=widgets.DecimalWidget()
        )
        address = fields.Field(attribute="address", column_name="地址")
        contact_name = fields.Field(attribute="contact_name", column_name="联系人")
        contact_mobile = fields.Field(attribute="contact_mobile", column_name="联系人手机")

        class Meta:
            model = Enterprise
            import_id_fields = ["credit_code"]
            fields = [
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
                "address",
                "contact_name",
                "contact_mobile",
            ]

        def before_save_instance(self, instance, row, **kwargs):
            instance.fic = county
            instance.org_path = county.path

    table = read_table(path)  # give it the rows pre-read: only its import is timed
    data = tablib.Dataset(*table.frame.head(limit).iter_rows(), headers=table.headers)
    t = time.perf_counter()
    result = EnterpriseResource().import_data(data, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - t
    assert result.totals["new"] == limit, result.totals
    return elapsed
