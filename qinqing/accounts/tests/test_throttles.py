"""Throttles count in the shared cache: two worker processes together pass the rate once, not twice."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from conftest import PASSWORD
from qinqing.accounts import throttles

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

# One "worker": its own Python process and its own cache client, counting token requests of one address.
WORKER = """
import os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import RequestFactory
from qinqing.accounts.api import TokenThrottle
call_command("createcachetable", verbosity=0)
allowed = 0
for _ in range(int(sys.argv[1])):
    request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="10.7.7.7")
    request.user = AnonymousUser()
    allowed += TokenThrottle().allow_request(request, None)
print(allowed)
"""


def _worker_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "QINQING_REDIS_URL"}}
    env["QINQING_SQLITE_PATH"] = str(tmp_path / "shared.sqlite3")
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_given_two_worker_processes_then_together_they_pass_twenty_token_requests_a_minute(tmp_path):
    env = _worker_env(tmp_path)
    counts = [
        int(
            subprocess.run(
                [sys.executable, "-c", WORKER, "15"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            ).stdout.split()[-1]
        )
        for _ in range(2)
    ]
    assert counts == [15, 5]  # per-process memory would have let 30 through


def test_given_two_cache_clients_then_they_share_the_count():
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second
    allowed = [throttles.hit("auth_token", "ip:10.8.8.8", cache=c) is None for c in [first, second] * 15]
    assert allowed.count(True) == 20


def test_the_default_store_is_the_database_cache_and_redis_when_configured(tmp_path):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    env = _worker_env(tmp_path)
    env["QINQING_REDIS_URL"] = "redis://127.0.0.1:6379/5"
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_given_a_sliding_window_then_requests_pass_again_after_a_minute():
    cache = caches["default"]
    assert all(throttles.hit("auth_token", "ip:w", cache=cache, now=1000.0 + i) is None for i in range(20))
    wait = throttles.hit("auth_token", "ip:w", cache=cache, now=1030.0)
    assert wait is not None and 29 <= wait <= 31
    assert throttles.hit("auth_token", "ip:w", cache=cache, now=1060.5) is None


def test_given_many_sign_in_posts_from_one_address_then_429_in_chinese(users, settings):
    settings.QINQING_THROTTLE_RATES = {**settings.QINQING_THROTTLE_RATES, "login": "3/min"}
    client = Client(REMOTE_ADDR="10.4.4.4")
    statuses = [client.post("/accounts/login/", {"username": f"x{i}", "password": "x"}).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert (
        Client(REMOTE_ADDR="10.4.4.5")
        .post("/accounts/login/", {"username": "county_staff", "password": PASSWORD})
        .status_code
        == 302
    )


def test_given_many_password_changes_then_429(users, login, settings):
    settings.QINQING_THROTTLE_RATES = {**settings.QINQING_THROTTLE_RATES, "password_change": "2/hour"}
    client = login(users.county_staff)
    data = {"old_password": PASSWORD, "new_password1": "x", "new_password2": "y"}
    assert [client.post("/accounts/password/", data).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/accounts/password/").status_code == 200  # reading the page is not counted


def test_token_endpoint_answers_429_with_retry_after(users, settings):
    settings.QINQING_THROTTLE_RATES = {**settings.QINQING_THROTTLE_RATES, "auth_token": "2/min"}
    client = Client(REMOTE_ADDR="10.5.5.5")
    statuses = [
        client.post("/api/v1/auth/token/", {"username": "x", "password": "x"}, content_type="application/json")
        for _ in range(3)
    ]
    assert [r.status_code for r in statuses] == [400, 400, 429]
    assert int(statuses[-1]["Retry-After"]) > 0


def test_given_many_online_appeals_of_one_enterprise_then_refused_but_staff_intake_is_not(users, tree, settings):
    from qinqing.appeals import actions as appeal_actions
    from qinqing.appeals.models import AppealDomain, AppealType
    from qinqing.core.errors import Refused

    settings.QINQING_THROTTLE_RATES = {**settings.QINQING_THROTTLE_RATES, "appeal_submit": "2/hour"}
    kinds = {
        "appeal_type": AppealType.objects.order_by("pk").first(),
        "domain": AppealDomain.objects.order_by("pk").first(),
    }

    def submit(actor, enterprise, n):
        return appeal_actions.register_appeal(
            actor=actor, enterprise=enterprise, title=f"诉求{n}", description="内容", **kinds
        )

    submit(users.enterprise, tree.ent_a, 1)
    submit(users.enterprise, tree.ent_a, 2)
    with pytest.raises(Refused) as exc:
        submit(users.enterprise, tree.ent_a, 3)
    assert "过于频繁" in str(exc.value)
    submit(users.enterprise_b, tree.ent_b, 4)  # another enterprise has its own count
    submit(users.county_staff, tree.ent_a, 5)  # hotline intake by staff is not limited
