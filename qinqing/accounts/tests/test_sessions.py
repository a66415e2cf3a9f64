"""Idle timeout, absolute session lifetime and logout, with a frozen clock."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from conftest import PASSWORD
from qinqing.core.models import AuditEntry

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(users, client, clock):
    assert sign_in(client, "county_staff", PASSWORD).status_code == 302
    return client


def test_given_31_idle_minutes_when_opening_a_page_then_redirected_to_login(signed_in, clock):
    clock.shift(timedelta(minutes=31))
    response = signed_in.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_given_29_idle_minutes_when_opening_a_page_then_still_signed_in(signed_in, clock):
    clock.shift(timedelta(minutes=29))
    assert signed_in.get("/").status_code == 200


def test_given_activity_every_20_minutes_then_the_idle_timer_restarts(signed_in, clock):
    for _ in range(4):
        clock.shift(timedelta(minutes=20))
        assert signed_in.get("/").status_code == 200


def test_given_active_session_when_absolute_lifetime_passes_then_signed_out(signed_in, clock, settings):
    hours = settings.QINQING_SESSION_ABSOLUTE_HOURS
    for _ in range(hours * 3 - 1):  # a request every 20 minutes keeps the idle timer fresh
        clock.shift(timedelta(minutes=20))
        assert signed_in.get("/").status_code == 200
    clock.shift(timedelta(minutes=21))

    response = signed_in.get("/")

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in signed_in.session


def test_given_session_past_absolute_lifetime_when_calling_the_api_then_unauthenticated(signed_in, clock, settings):
    settings.QINQING_SESSION_ABSOLUTE_HOURS = 1
    clock.shift(timedelta(minutes=20))
    assert signed_in.get("/api/v1/me/").status_code == 200
    clock.shift(timedelta(minutes=41))
    assert signed_in.get("/api/v1/me/").status_code in (401, 403)


def test_given_signed_in_when_logging_out_with_get_then_refused(signed_in):
    assert signed_in.get("/accounts/logout/").status_code == 405
    assert signed_in.get("/").status_code == 200


def test_given_signed_in_when_logging_out_then_old_session_key_is_dead(signed_in):
    old_key = signed_in.cookies["sessionid"].value

    response = signed_in.post("/accounts/logout/")

    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert replay.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="security.logout").count() == 1


def test_given_sign_in_then_session_key_changes(users, client, clock):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, "county_staff", PASSWORD)
    assert client.session.session_key != before


def test_given_signed_in_when_opening_login_page_then_sent_home(signed_in):
    response = signed_in.get("/accounts/login/")
    assert response.status_code == 302 and response.url == "/"


def test_given_next_pointing_elsewhere_when_signing_in_then_stays_on_site(users, client, clock):
    response = client.post(
        "/accounts/login/", {"username": "county_staff", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_session_cookie_is_http_only_and_lax(signed_in):
    cookie = signed_in.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# The idle timeout without a write per request (accounts.middleware.IdleTimeoutMiddleware): a request saves the
# session only when its last save is QINQING_SESSION_TOUCH_SECONDS (60) old, so the session ends between 29 and
# 30 minutes after the last request — never later.


def _expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_given_a_request_within_the_minute_then_the_session_is_not_written(signed_in, clock):
    # Given a session saved by a page view
    assert signed_in.get("/").status_code == 200
    saved = _expiry(signed_in)
    # When the next page comes 30 seconds later
    clock.shift(timedelta(seconds=30))
    assert signed_in.get("/").status_code == 200
    # Then the session row is left alone; a minute after the last save it is written with a later expiry
    assert _expiry(signed_in) == saved
    clock.shift(timedelta(seconds=31))
    assert signed_in.get("/").status_code == 200
    assert _expiry(signed_in) == saved + timedelta(seconds=61)


def test_given_requests_every_50_seconds_for_an_hour_then_still_signed_in(signed_in, clock):
    for _ in range(72):
        clock.shift(timedelta(seconds=50))
        assert signed_in.get("/").status_code == 200


def test_given_a_request_not_written_then_the_timeout_counts_from_the_last_save_at_most_a_minute_earlier(
    signed_in, clock
):
    # Given a page viewed (session saved), then another 59 seconds later (not saved)
    assert signed_in.get("/").status_code == 200
    clock.shift(timedelta(seconds=59))
    assert signed_in.get("/").status_code == 200
    # When the user is idle 29 minutes and 0 seconds after that last request, the session still holds
    clock.shift(timedelta(minutes=29))
    assert signed_in.get("/").status_code == 200
    # And 30 minutes after a request, a session is gone (the promised timeout is never exceeded)
    clock.shift(timedelta(minutes=30))
    response = signed_in.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_given_30_idle_minutes_after_requests_within_the_minute_then_signed_out(signed_in, clock):
    for _ in range(3):
        clock.shift(timedelta(seconds=20))
        assert signed_in.get("/").status_code == 200
    clock.shift(timedelta(minutes=30))
    response = signed_in.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
