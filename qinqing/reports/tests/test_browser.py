"""In headless Chromium: dashboard → a figure's records → edit and finalise the annual summary → download
its .docx and .pdf."""

import datetime as dt

import pytest
from django.utils import timezone

from qinqing.core.tests.browser import launch, require_chromium, session_cookie
from qinqing.registry.models import Member
from qinqing.registry.rollups import count_members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_staff_when_drilling_and_finalising_then_records_and_documents(live_server, users, tree, tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    year = timezone.localdate().year
    rows = Member.objects.bulk_create(
        Member(organization=tree.county_a, org_path=tree.county_a.path, kind="individual", person_name=f"新会员{i}",
               joined_on=dt.date(year, 1, 2 + i))
        for i in range(3)
    )  # fmt: skip
    count_members(m.pk for m in rows)  # written without save(): into the figures' rollups
    session = session_cookie(users.city_staff)
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(accept_downloads=True)
        host = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
        page = context.new_page()
        # The dashboard: the new members figure, its chart and the county breakdown
        page.goto(f"{live_server.url}/reports/?period=year")
        card = page.locator('.card[data-key="registry.members_new"]')
        expect(card).to_contain_text("3")
        expect(page.locator("#section-organisation .breakdown")).to_contain_text("岳阳县工商联")
        # Drill from the figure to its records
        card.locator("a").first.click()
        expect(page.locator("#figure-value")).to_have_text("3")
        expect(page.locator("#records tbody tr")).to_have_count(3)
        expect(page.locator("#records")).to_contain_text("新会员0")
        # Edit and finalise the year's summary
        page.goto(f"{live_server.url}/reports/summaries/{tree.city.code}/{year}/")
        expect(page.locator("#summary-text")).to_contain_text("全年新发展会员")
        members_new = page.locator('#summary-text a.figure[href*="registry.members_new"]').first
        expect(members_new).to_have_text("3")
        page.fill("#text_organisation", "全年共发展新会员{{registry.members_new}}个，队伍不断壮大。")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("#summary-text")).to_contain_text("全年共发展新会员")
        expect(page.locator("#summary-text")).to_contain_text("个，队伍不断壮大。")
        page.locator("#finalise").click()
        expect(page.locator("body")).to_contain_text("已定稿")
        # Each figure in the text links to its records
        link = page.locator("#summary-text a.figure").first
        assert "/reports/figures/" in link.get_attribute("href")
        for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
            with page.expect_download() as info:
                page.locator(f"#download-{fmt}").click()
            target = tmp_path / f"summary.{fmt}"
            info.value.save_as(target)
            assert target.read_bytes()[:4].startswith(magic)
        browser.close()
