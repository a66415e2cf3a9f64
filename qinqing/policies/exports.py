"""Excel export of a policy's eligible enterprises (the 免申即享 list a department acts on).

Mobile numbers are masked with the registry's own rule (qinqing.registry.masking) unless the exporting user
holds registry.view_pii; actions.export_eligible audits every export and whether numbers were unmasked.
"""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook
from qinqing.registry.masking import masked_mobile
from qinqing.registry.templatetags.registry_names import industry_display, region_names


def unmasked_for(actor) -> bool:
    return actor is not None and actor.has_perm("registry.view_pii")


def eligible_xlsx(policy, enterprises, *, actor=None) -> tuple[HttpResponse, int]:
    """The workbook as a download, and the number of enterprise rows written."""
    unmasked = unmasked_for(actor)
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True})  # text as text: no formula from an enterprise name
    sheet = book.add_worksheet(_("符合条件企业"))
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, policy.title, bold)
    sheet.write(
        1,
        0,
        _("兑现方式：%(method)s　导出时间：%(time)s")
        % {"method": policy.get_application_method_display(), "time": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
    )
    headers = [
        _("序号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("所属工商联"),
        _("行政区划"),
        _("行业"),
        _("规模"),
        _("联系人"),
        _("联系电话"),
    ]
    for col, header in enumerate(headers):
        sheet.write(3, col, header, bold)
    row = 4
    regions = region_names(enterprises.order_by().values_list("region_code", flat=True).distinct())
    for index, firm in enumerate(enterprises.iterator(chunk_size=2000), start=1):
        values = [
            index,
            firm.name,
            firm.credit_code,
            firm.fic.name,
            f"{regions[firm.region_code]}（{firm.region_code}）" if firm.region_code in regions else firm.region_code,
            industry_display(firm.industry_code),
            getattr(firm, "size_class", ""),
            getattr(firm, "contact_name", ""),
            firm.contact_mobile if unmasked else masked_mobile(firm.contact_mobile),
        ]
        for col, value in enumerate(values):
            sheet.write(row, col, value)
        row += 1
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 3, 22)
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=policy-{policy.pk}-eligible.xlsx"
    return response, row - 4
