"""In headless Chromium with axe-core (var/vendor/axe-core, fetched by `make assets`): the color-contrast rule
on the main pages of a staff user and an enterprise user reports no serious violation; on a 390 px phone the
enterprise navigation hides no entry off-screen; the appeals chart's legend stays clear of the axis names."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

from qinqing.core.tests.browser import launch, new_page, require_chromium, session_cookie

AXE = Path(settings.BASE_DIR) / "var" / "vendor" / "axe-core" / "axe.min.js"
STAFF_PAGES = ["/", "/appeals/", "/appeals/figures/", "/registry/enterprises/", "/policies/", "/policies/matching/",
               "/policies/figures/", "/meetings/"]  # fmt: skip
ENTERPRISE_PAGES = ["/", "/appeals/", "/policies/", "/policies/mine/"]
SERIOUS = ("serious", "critical")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tagged(tree, users):
    """Data that puts the 临期, 催办 and 未生效 tags on the pages checked."""
    from qinqing.appeals.actions import register_appeal
    from qinqing.appeals.models import Appeal, AppealDomain, AppealType
    from qinqing.policies.actions import create_policy, set_policy_state

    appeal = register_appeal(
        actor=users.enterprise,
        enterprise=tree.ent_a,
        appeal_type=AppealType.objects.get(code="consult"),
        domain=AppealDomain.objects.get(code="finance"),
        title="贷款审批慢",
        description="流动资金贷款三个月未审批",
    )
    Appeal.objects.filter(pk=appeal.pk).update(deadline_state="warning", escalation=1)
    policy = create_policy(
        actor=users.city_staff,
        data={
            "title": "明年实施的技改补贴",
            "level": "city",
            "benefit_type": "subsidy",
            "effective_on": datetime.date.today() + datetime.timedelta(days=30),
            "rule": {"op": "all", "items": []},
        },
    )
    set_policy_state(policy, actor=users.city_staff, state="published")
    return appeal


def _contrast(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}});"
        " return r.violations.map(v => ({impact: v.impact, nodes: v.nodes.map(n => ({impact: n.impact,"
        " target: n.target.join(' '), summary: n.failureSummary}))})); }"
    )
    return [
        node | {"url": page.url} for v in result for node in v["nodes"] if (node["impact"] or v["impact"]) in SERIOUS
    ]


def test_given_main_pages_when_axe_checks_contrast_then_no_serious_violation(live_server, users, tagged):
    require_chromium()
    if not AXE.exists():
        pytest.skip("需要 axe-core：先运行 make assets")
    from playwright.sync_api import sync_playwright

    sessions = {name: session_cookie(getattr(users, name)) for name in ("county_staff", "enterprise")}
    found: list[dict] = []
    with sync_playwright() as p:
        browser = launch(p)
        for name, pages in (("county_staff", STAFF_PAGES), ("enterprise", ENTERPRISE_PAGES)):
            page = new_page(browser, live_server, sessions[name], bypass_csp=True)  # to inject axe-core
            for path in pages:
                page.goto(f"{live_server.url}{path}")
                found.extend(_contrast(page))
        # The tags the issue names are on the pages checked (so the check covered them).
        staff = new_page(browser, live_server, sessions["county_staff"])
        staff.goto(f"{live_server.url}/appeals/")
        assert (
            staff.locator(".tag.warn", has_text="临期").count() and staff.locator(".tag.warn", has_text="催办").count()
        )
        browser.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_given_phone_when_enterprise_opens_home_then_every_navigation_entry_visible(live_server, users, tree):
    require_chromium()
    from playwright.sync_api import sync_playwright

    session = session_cookie(users.enterprise)
    with sync_playwright() as p:
        browser = launch(p)
        phone = new_page(browser, live_server, session, viewport={"width": 390, "height": 844})
        phone.goto(f"{live_server.url}/")
        nav = phone.locator("nav.side")
        assert nav.evaluate("n => n.scrollWidth <= n.clientWidth + 1")  # nothing hidden to the right
        for link in nav.locator("a").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, link.inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        browser.close()


def test_given_appeals_figures_when_drawn_then_legend_clear_of_the_axis_names(live_server, users, tagged):
    require_chromium()
    from playwright.sync_api import sync_playwright

    session = session_cookie(users.county_staff)
    with sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser, live_server, session)
        page.goto(f"{live_server.url}/appeals/figures/")
        page.wait_for_function("() => window.echarts && echarts.getInstanceByDom(document.getElementById('chart'))")
        option = page.evaluate(
            "() => { const o = echarts.getInstanceByDom(document.getElementById('chart')).getOption();"
            " return {legendBottom: o.legend[0].bottom, legendTop: o.legend[0].top, gridTop: o.grid[0].top}; }"
        )
        assert option["legendBottom"] == 0 and option["legendTop"] in (None, "auto") and option["gridTop"] >= 40
        browser.close()
