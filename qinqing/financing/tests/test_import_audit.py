"""The needs import writes its rows' audit entries when its transaction ends (audit.written_at_end), the same
entries as before: one per need and the import's summary; a refused file leaves only the summary."""

from django.core.files.uploadedfile import SimpleUploadedFile

from qinqing.core import audit
from qinqing.core.models import AuditEntry
from qinqing.financing import importing

from .test_views import xlsx

HEADER = ["统一社会信用代码", "融资金额（万元）", "期限（月）", "用途", "担保方式", "是否首贷"]


def _upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("needs.xlsx", xlsx([HEADER, *rows]).getvalue())


def test_given_a_clean_file_when_imported_then_each_need_and_the_import_are_audited_in_order(tree, users, fin):
    # Given two clean rows
    row = [tree.ent_a.credit_code, "100", "12", "流动资金", "信用", "是"]
    # When imported
    result = importing.import_needs(_upload([row, row]), actor=users.county_staff)
    # Then each need's entry, then the summary, are in the log and the chain holds
    assert result.ok and result.done == 2
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["financing.state_need", "financing.state_need", "financing.import_needs"]
    assert audit.verify_chain().ok


def test_given_a_bad_row_when_imported_then_no_need_is_audited(tree, users, fin):
    before = AuditEntry.objects.filter(action="financing.state_need").count()
    rows = [[tree.ent_a.credit_code, "100", "12", "流动资金", "信用", "是"],
            [tree.ent_a.credit_code, "100", "999", "流动资金", "信用", "否"]]  # fmt: skip
    result = importing.import_needs(_upload(rows), actor=users.county_staff)
    assert not result.ok
    assert AuditEntry.objects.filter(action="financing.state_need").count() == before
    summary = AuditEntry.objects.filter(action="financing.import_needs").get()
    assert summary.success is False and audit.verify_chain().ok
