"""The court exchange: JSON and .xlsx round trips reproduce the cases and outcomes, the court's rulings flow
back into known cases, and a file with any error is refused whole with Chinese messages naming the record."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qinqing.core.models import AuditEntry
from qinqing.mediation import actions, exchange
from qinqing.mediation.models import Case, Extension, Party
from qinqing.mediation.permissions import visible_cases

from . import factories

pytestmark = pytest.mark.django_db

IGNORED = ("number",)  # a receiving system numbers cases itself


def _records(qs):
    doc = json.loads(exchange.export_json(qs))
    assert doc["format"] == exchange.FORMAT and doc["version"] == exchange.VERSION
    return [{k: v for k, v in c.items() if k not in IGNORED} for c in doc["cases"]]


def _history(tree, users):
    """Three court cases: settled with 司法确认 (after an extension), failed to 立案, still open."""
    settled = factories.settled_case(tree, users, court_case_number="RT-1")
    actions.request_confirmation(settled, actor=users.mediator, data={})
    actions.record_confirmation(
        settled, actor=users.mediator, data={"result": "confirmed", "confirmation_number": "民特8号"}
    )
    failed = factories.court_case(tree, users, court_case_number="RT-2", source="court_in")
    actions.extend_deadline(
        failed,
        actor=users.secretary,
        data={"new_deadline": failed.deadline + dt.timedelta(days=10), "consent_ref": "同意函"},
    )
    actions.fail(failed, actor=users.mediator, data={"failed_next": "litigation", "lawsuit_case_number": "民初7号"})
    factories.court_case(tree, users, court_case_number="RT-3")
    actions.register_case(
        actor=users.secretary,
        body=factories.committee(tree, users),
        data={"source": "application", "case_type": "sale"},
        parties=factories.parties(),
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_given_court_cases_when_exported_and_imported_into_an_empty_system_then_the_same_cases(tree, users, fmt):
    _history(tree, users)
    before = _records(Case.objects.all())
    assert len(before) == 3  # the application case is no court's business
    content = exchange.export_json(Case.objects.all()) if fmt == "json" else exchange.export_xlsx(Case.objects.all())
    Case.objects.all().delete()
    records = exchange.read_file(f"x.{fmt}", content)
    body = factories.committee(tree, users)
    result = exchange.import_records(
        records, body=body, actor=users.secretary, visible_cases=visible_cases(users.secretary)
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    assert _records(Case.objects.all()) == before
    assert Extension.objects.count() == 1 and Party.objects.count() == 6
    again = exchange.import_records(
        exchange.read_file(f"x.{fmt}", content),
        body=body,
        actor=users.secretary,
        visible_cases=visible_cases(users.secretary),
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_given_the_courts_rulings_when_imported_then_known_cases_take_confirmation_lawsuit_and_extension(tree, users):
    settled = factories.settled_case(tree, users, court_case_number="CT-1")
    actions.request_confirmation(settled, actor=users.mediator, data={})
    failed = factories.court_case(tree, users, court_case_number="CT-2")
    actions.fail(failed, actor=users.mediator, data={"failed_next": "litigation"})
    open_case = factories.court_case(tree, users, court_case_number="CT-3")
    doc = json.loads(exchange.export_json(Case.objects.all()))
    by_number = {c["court_case_number"]: c for c in doc["cases"]}
    by_number["CT-1"].update(
        confirmation="confirmed", confirmation_on=str(actions.today()), confirmation_number="民特9号"
    )
    by_number["CT-2"]["lawsuit_case_number"] = "民初99号"
    new_deadline = open_case.deadline + dt.timedelta(days=20)
    by_number["CT-3"].update(deadline=str(new_deadline), extensions=[{
        "old_deadline": str(open_case.deadline), "new_deadline": str(new_deadline), "consent_on": str(actions.today()),
        "consent_ref": "法院同意延期函"}])  # fmt: skip
    result = exchange.import_records(
        doc["cases"], body=settled.body, actor=users.secretary, visible_cases=visible_cases(users.secretary)
    )
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 3, 0)
    settled.refresh_from_db(), failed.refresh_from_db(), open_case.refresh_from_db()
    assert settled.confirmation == "confirmed" and settled.confirmation_number == "民特9号"
    assert failed.lawsuit_case_number == "民初99号"
    assert open_case.deadline == new_deadline and open_case.extensions.get().consent_ref == "法院同意延期函"
    assert AuditEntry.objects.filter(action="mediation.import_update").count() == 3


def test_given_a_file_with_errors_when_imported_then_every_error_is_named_and_nothing_changes(tree, users):
    factories.court_case(tree, users, court_case_number="OK-1")
    doc = json.loads(exchange.export_json(Case.objects.all()))
    good = doc["cases"][0]
    new = {**good, "court_case_number": "NEW-1"}
    confirmed_open = {**good, "court_case_number": "BAD-1", "confirmation": "confirmed"}
    early = {**good, "court_case_number": "BAD-2", "deadline": "2000-01-01"}
    no_court = {**good, "court_case_number": "BAD-3", "court_name": ""}
    negative = {**good, "court_case_number": "BAD-4", "amount": "-3"}
    before = (Case.objects.count(), AuditEntry.objects.count())
    result = exchange.import_records(
        [new, confirmed_open, early, no_court, negative],
        body=factories.committee(tree, users),
        actor=users.secretary,
        visible_cases=visible_cases(users.secretary),
    )
    assert not result.ok and result.created == 0
    text = "\n".join(result.errors)
    assert "第2个案件" in text and "只有调解成功的案件才能申请司法确认" in text
    assert "第3个案件" in text and "不能早于委派/委托日期" in text
    assert "第4个案件" in text and "法院" in text
    assert "第5个案件" in text and "负数" in text
    assert (Case.objects.count(), AuditEntry.objects.count()) == before


def test_given_another_version_or_format_when_read_then_refused_in_chinese():
    with pytest.raises(exchange.UnreadableFile, match=r"不支持的交换格式版本 9\.0"):
        exchange.read_json(json.dumps({"format": exchange.FORMAT, "version": "9.0", "cases": []}).encode())
    with pytest.raises(exchange.UnreadableFile, match="交换格式"):
        exchange.read_json(b'{"format": "other"}')
    with pytest.raises(exchange.UnreadableFile, match=r"\.json 或 \.xlsx"):
        exchange.read_file("cases.csv", b"a,b")


def test_given_the_exchange_page_when_a_bad_xlsx_is_uploaded_then_errors_listed_and_export_audited(
    login, tree, users, med
):
    from openpyxl import load_workbook

    client = login(users.secretary)
    response = client.get(reverse("mediation:exchange_export", args=["xlsx"]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="mediation.export_exchange").exists()
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["案件"]
    sheet.cell(row=2, column=2, value="XL-9")  # a new court case number …
    sheet.cell(row=2, column=3, value="不存在的来源")  # … with an unknown source
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("cases.xlsx", out.getvalue())
    response = client.post(reverse("mediation:exchange"), {"body": med.committee.pk, "file": upload})
    page = response.content.decode()
    assert "“案件”表第2行" in page and "案件来源" in page and "未作任何修改" in page
    assert not Case.objects.filter(court_case_number="XL-9").exists()
    api = client.get("/api/v1/mediation/exchange/export/?format=json")
    assert api.status_code == 200 and api.json()["cases"][0]["court_case_number"] == med.case.court_case_number
