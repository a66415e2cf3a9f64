"""In headless Chromium: staff set up a one-place training; on a 390-px phone an enterprise registers two people
(the second goes to the waitlist), cancels the first, sees the second promoted, and checks in by opening the URL
its QR code encodes (read from the page, and checked against the QR drawn by the server)."""

import pytest

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_given_a_one_place_training_when_registering_waitlisting_cancelling_and_scanning_then_checked_in(
    live_server, users, tree
):
    require_chromium()
    import segno
    from playwright.sync_api import expect, sync_playwright

    from qinqing.activities import actions, qr
    from qinqing.activities.models import Attendance, Registration

    today = str(actions.today())
    sessions = {"staff": session_cookie(users.county_staff), "enterprise": session_cookie(users.enterprise)}
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        staff = new_page(browser, live_server, sessions["staff"])
        staff.goto(f"{url}/activities/new/")
        staff.select_option("#id_kind", "training")
        staff.fill("#id_title", "电商直播实务培训")
        staff.fill("#id_starts_on", today)
        staff.fill("#id_place", "岳阳县工商联三楼会议室")
        staff.fill("#id_capacity", "1")
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator("#activity-places")).to_contain_text("名额 1")
        activity_url = staff.url

        phone = new_page(browser, live_server, sessions["enterprise"], **PHONE)
        phone.goto(activity_url)
        assert _fits(phone)
        phone.fill("#id_attendee_name", "张三")
        phone.fill("#id_attendee_phone", "13800000000")
        phone.get_by_role("button", name="提交报名").click()
        expect(phone.locator("#registration-status")).to_have_text("已报名")
        first_url = phone.url
        phone.goto(activity_url)
        phone.fill("#id_attendee_name", "李四")
        phone.get_by_role("button", name="提交报名").click()
        expect(phone.locator("#registration-status")).to_have_text("候补中")
        assert _fits(phone)
        second_url = phone.url
        expect(phone.locator("#checkin-qr")).to_have_count(0)  # no check-in code while waiting

        phone.goto(first_url)
        phone.get_by_role("button", name="取消报名").click()
        expect(phone.locator("#registration-status")).to_have_text("已取消")
        phone.goto(second_url)
        expect(phone.locator("#registration-status")).to_have_text("已报名")
        expect(phone.locator("body")).to_contain_text("由候补转为报名成功")

        checkin_url = phone.locator("#checkin-qr").get_attribute("data-checkin-url")
        assert checkin_url.startswith(f"{url}/activities/checkin/")
        svg = phone.request.get(url + phone.locator("#checkin-qr img").get_attribute("src")).body()
        assert svg == qr.svg(checkin_url)  # the QR on the page encodes exactly this URL
        assert segno.make(checkin_url, error="m").designator  # and it is a valid QR symbol

        phone.goto(checkin_url)
        assert _fits(phone)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.locator("#checkin-result")).to_contain_text("签到成功")

        staff.goto(activity_url)
        expect(staff.locator("#registrations")).to_contain_text("李*")
        browser.close()

    second = Registration.objects.get(status="confirmed")
    assert second.attendee_name == "李四" and second.promoted_at is not None
    assert Attendance.objects.get().registration == second
