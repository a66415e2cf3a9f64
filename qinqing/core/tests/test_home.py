"""The home page: each role sees real, scoped figures; domains' cards are kept; anonymous goes to login."""

import re

import pytest
from django.urls import reverse

from qinqing.core import home


def _cards(html: str) -> dict[str, str]:
    return dict(
        (label, num)
        for num, label in re.findall(r'<div class="num">([^<]*)</div><div class="label">([^<]*)</div>', html)
    )


@pytest.mark.django_db
def test_given_city_staff_when_opening_home_then_counts_cover_the_whole_city_subtree(users, login, tree):
    response = login(users.city_staff).get(reverse("core:home"))
    assert response.status_code == 200
    cards = _cards(response.content.decode())
    assert cards["下级工商联"] == "2"  # county_a and county_b
    assert cards["商会"] == "2" and cards["企业"] == "2" and cards["承办单位"] == "2" and cards["金融机构"] == "1"
    assert cards["用户"] == "16"  # the fixture users below the city, with the mediator and reviewer
    assert "岳阳市工商联" in response.content.decode()


@pytest.mark.django_db
def test_given_county_staff_when_opening_home_then_the_sibling_county_is_not_counted(users, login):
    cards = _cards(login(users.county_staff).get(reverse("core:home")).content.decode())
    assert "下级工商联" not in cards  # a county FIC has none
    assert cards["商会"] == "1" and cards["企业"] == "1" and cards["承办单位"] == "1" and cards["金融机构"] == "0"
    # county_staff, chamber_a's secretary and mediator, the enterprise user and dept_a's liaison: all below county_a.
    assert cards["用户"] == "5"


@pytest.mark.django_db
def test_given_the_enterprise_user_when_opening_home_then_it_sees_its_own_enterprise_only(users, login, tree):
    html = login(users.enterprise).get(reverse("core:home")).content.decode()
    assert tree.ent_a.name in html and tree.ent_a.credit_code in html
    assert tree.ent_b.name not in html and "下级工商联" not in html


@pytest.mark.django_db
def test_given_the_audit_admin_when_opening_home_then_today_audit_figures_link_to_the_log(users, login):
    html = login(users.audit_admin).get(reverse("core:home")).content.decode()
    cards = _cards(html)
    assert int(cards["今日审计记录"]) >= 14  # one accounts.create_user row per fixture user
    assert cards["今日失败或越权操作"] == "0"
    assert f"{reverse('core:audit_log')}?from=" in html


@pytest.mark.django_db
def test_given_a_locked_account_when_the_security_admin_opens_home_then_it_is_counted(users, login, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=users.county_staff.username,
        ip_address="10.0.0.1",
        user_agent="t",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    cards = _cards(login(users.sec_admin).get(reverse("core:home")).content.decode())
    assert cards["被锁定账号"] == "1"


@pytest.mark.django_db
def test_given_a_disabled_account_when_the_system_admin_opens_home_then_it_is_counted(users, login):
    users.liaison.is_active = False
    users.liaison.save(update_fields=["is_active"])
    cards = _cards(login(users.sys_admin).get(reverse("core:home")).content.decode())
    assert cards["已停用账号"] == "1" and cards["启用账号"] == "15"


@pytest.mark.django_db
def test_given_a_bank_officer_when_opening_home_then_no_tree_figures_are_shown(users, login, tree):
    html = login(users.banker).get(reverse("core:home")).content.decode()
    assert tree.bank.name in html and "下级工商联" not in html and "用户" not in _cards(html)


@pytest.mark.django_db
def test_given_a_domain_card_provider_when_opening_home_then_its_card_is_shown(users, login, monkeypatch):
    real = home.domain_sources
    extra = home.CardSource("test", lambda user: [{"label": "测试卡片", "value": 42, "url": ""}], None)
    monkeypatch.setattr(home, "domain_sources", lambda: [*real(), extra])
    cards = _cards(login(users.leader).get(reverse("core:home")).content.decode())
    assert cards["测试卡片"] == "42"


@pytest.mark.django_db
def test_given_anonymous_when_opening_home_then_redirected_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_given_city_staff_when_opening_home_then_queries_stay_bounded(users, login, django_assert_max_num_queries):
    client = login(users.city_staff)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("core:home")).status_code == 200
