"""The demo appeals: a year ending today (deadlines in a provisional year flagged); real records behind the counters."""

import io
from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import Max, Q

from qinqing.appeals import workflow as wf
from qinqing.appeals.demo import demo_window
from qinqing.core.workdays import WorkCalendar

PACKAGE = WorkCalendar.build()  # covers up to 2026, like the shipped package


def test_given_mid_december_without_next_year_then_window_still_ends_today():
    # 2027 is provisional (statutory holidays), not a reason to stop the demo year short
    assert demo_window(PACKAGE, date(2026, 12, 20)) == (date(2025, 12, 20), date(2026, 12, 20))
    assert demo_window(PACKAGE, date(2026, 6, 1)) == (date(2025, 6, 1), date(2026, 6, 1))
    assert demo_window(PACKAGE, date(2100, 12, 20)) is None  # no lunar table after 2100


@pytest.mark.django_db
def test_given_december_2026_when_seeding_then_appeals_written_with_real_records_and_notice():
    out = io.StringIO()
    # Given it is 2026-12-20 and 2027's holidays are not entered
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 12, 20)):
        call_command("seed_demo", "--profile", "test", stdout=out)
    from qinqing.appeals.models import Appeal, AppealEvent, ExtensionRequest
    from qinqing.meetings.models import Meeting

    text = out.getvalue()
    # Then the loader says 2027's deadlines are provisional, and writes the appeals up to today
    assert "2027年的节假日安排（国务院办公厅通知）尚未录入" in text and "暂定" in text and "/calendar/" in text
    appeals = Appeal.objects.all()
    assert appeals.count() >= 20
    latest = appeals.aggregate(
        *(Max(f) for f in ("accept_due", "contact_due", "reply_due", "dispatch_due", "callback_due"))
    )
    assert all(d is None or d.year <= 2027 for d in latest.values())
    # And every deadline in 2027 is flagged provisional, none in 2026
    fields = ("accept_due", "contact_due", "reply_due", "dispatch_due", "callback_due")
    for a in appeals:
        in_2027 = sorted(f for f in fields if getattr(a, f) and getattr(a, f).year == 2027)
        assert sorted(a.provisional_dues) == in_2027
    # Rejected and merged appeals were never accepted; each merged one has its master and events
    assert not appeals.filter(status__in=[wf.REJECTED, wf.MERGED], accepted_at__isnull=False).exists()
    for dup in appeals.filter(status=wf.MERGED):
        assert dup.merged_into_id and dup.events.filter(action="merge").exists()
        assert AppealEvent.objects.filter(appeal_id=dup.merged_into_id, action="merged_in").exists()
    # Extensions and re-handling are records, not only counters
    assert ExtensionRequest.objects.count() == appeals.filter(extension_days__gt=0).count()
    rehandled = appeals.filter(rehandle_count__gt=0)
    assert all(a.events.filter(action="rehandle").exists() for a in rehandled if a.replied_at)
    # Meetings have departments, invitees, pre-visits; signed-off ones name their sign-off meeting
    meetings = Meeting.objects.all()
    assert meetings.exists() and not meetings.filter(departments__isnull=True).exists()
    assert not meetings.filter(enterprises__isnull=True).exists()
    assert not meetings.filter(Q(status="signed_off") & Q(signed_off_at__isnull=True)).exists()
    from qinqing.meetings.models import PreVisit

    assert PreVisit.objects.exists()
    # 成果销号 only when every issue raised at the meeting is closed, at a meeting that was held
    open_issue = Appeal.objects.filter(meeting__status="signed_off", status__in=wf.OPEN_STATES)
    assert not open_issue.exists()
    assert not meetings.filter(status="signed_off", signed_off_at__status="planned").exists()
    # Every appeal has a contact person for 首次联系 and the public status lookup
    assert not appeals.filter(Q(contact_name="") | Q(contact_phone="")).exists()
    phones = list(appeals.values_list("contact_phone", flat=True))
    assert all(len(p) == 11 and p.startswith("1") and p.isdigit() for p in phones), [p for p in phones if len(p) != 11]
