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
