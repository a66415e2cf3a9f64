"""The audit administrator's search page: filters, bad input, and the organisation scope."""

import pytest

from conftest import PASSWORD
from qinqing.core import audit

pytestmark = pytest.mark.django_db


def test_given_a_bad_date_when_searching_then_a_message_names_the_field_and_no_rows_show(users, login):
    # Given an audit row
    audit.record("test.event", actor=users.city_staff, object_repr="某企业")
    # When the auditor types an impossible date
    response = login(users.audit_admin).get("/audit/", {"from": "2026-13-01"})
    # Then the page answers with the field named, and lists nothing rather than everything
    html = response.content.decode()
    assert response.status_code == 200
    assert "起始日期：" in html and "某企业" not in html


def test_given_an_inverted_range_when_searching_then_the_end_date_is_named(users, login):
    html = login(users.audit_admin).get("/audit/", {"from": "2026-05-02", "to": "2026-05-01"}).content.decode()
    assert "截止日期：截止日期不能早于起始日期" in html


def test_given_filters_when_searching_then_only_matching_rows(users, login):
    audit.record("registry.update_enterprise", actor=users.city_staff, object_repr="甲公司")
    audit.record("security.login_failed", actor=users.city_staff, object_repr="乙公司", success=False)
    client = login(users.audit_admin)
    assert "乙公司" in client.get("/audit/", {"failed": "1"}).content.decode()
    assert "甲公司" not in client.get("/audit/", {"failed": "1"}).content.decode()
    html = client.get("/audit/", {"action": "registry.", "q": "甲"}).content.decode()
    assert "甲公司" in html and "乙公司" not in html


def test_given_a_county_auditor_when_reading_then_the_city_and_the_sibling_county_are_not_shown(users, tree, client):
    # Given rows written by city staff, county A staff and county B staff
    from qinqing.accounts.actions import create_user

    auditor = create_user(
        username="county_auditor",
        name="县审计",
        role="audit_admin",
        org=tree.county_a,
        password=PASSWORD,
        must_change_password=False,
    )
    audit.record("test.event", actor=users.city_staff, object_repr="市本级记录")
    audit.record("test.event", actor=users.county_staff, object_repr="岳阳县记录")
    audit.record("test.event", actor=users.county_b_staff, object_repr="华容县记录")
    # When county A's auditor reads the log
    client.force_login(auditor)
    html = client.get("/audit/").content.decode()
    # Then only county A's rows show
    assert "岳阳县记录" in html
    assert "市本级记录" not in html and "华容县记录" not in html


def test_given_more_rows_than_the_cap_when_listing_then_the_page_says_so(users, login, monkeypatch):
    # Given more audit rows than the paginator counts
    from qinqing.core.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    for i in range(5):
        audit.record("test.event", actor=users.city_staff, object_repr=f"第{i}条")
    # When the auditor lists them, then the page tells them the list is cut and to narrow the filter
    html = login(users.audit_admin).get("/audit/").content.decode()
    assert "符合条件的记录超过 3 条，仅可翻阅前 3 条，请缩小筛选范围。" in html
