"""Fixtures for the accounts tests: a clean throttle cache and a frozen clock."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Argon2 is the production hasher (tested in test_password_policy); a 2-core test box shared by
    many runs cannot afford it for the fourteen fixture users of every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the token endpoint's throttle lives in the cache
    yield
    cache.clear()


@pytest.fixture
def clock():
    """A stopped clock at START; ``clock.shift(timedelta(...))`` moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, steps_ahead: int = 0) -> str:
    """The code of the current 30-second step (plus ``steps_ahead``), by the frozen or real clock."""
    import pyotp

    otp = pyotp.TOTP(secret)
    return otp.generate_otp(otp.timecode(datetime.now(UTC)) + steps_ahead)


def enrol(user, secret: str = TOTP_SECRET) -> list[str]:
    """Bind an authenticator for ``user``; the current step is then spent (use ``steps_ahead=1`` next)."""
    from qinqing.accounts import actions

    return actions.enable_totp(user, secret=secret, code=totp_code(secret))


def sign_in_with_code(client, username, password, secret: str = TOTP_SECRET, **extra):
    """Both steps of the sign-in for an account whose authenticator uses ``secret``."""
    first = sign_in(client, username, password, **extra)
    assert first.status_code == 302 and first.url == "/accounts/login/code/", first
    return client.post("/accounts/login/code/", {"code": totp_code(secret, steps_ahead=1)}, **extra)
