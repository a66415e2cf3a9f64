"""Production settings pass ``manage.py check --deploy`` with no warning (SECURITY.md, Identity and sessions)."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QINQING_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "QINQING_HTTPS": "1",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # 86 characters, high entropy
            "QINQING_AUDIT_KEY": secrets.token_urlsafe(32),
            "QINQING_ALLOW_LOCAL_SECRET": "0",
            "DJANGO_ALLOWED_HOSTS": "qinqing.example.gov.cn",
            "QINQING_SQLITE_PATH": str(tmp_path / "deploy.sqlite3"),
            # personal-data keys and audit checkpoints away from the database (qinqing.core.checks)
            "QINQING_DATA_KEYS": "p1:" + secrets.token_hex(16),
            "QINQING_INDEX_KEYS": "pi1:" + secrets.token_hex(32),
            "QINQING_AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
        }
    )
    env.update(overrides)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False
    )


CHECK_ID = re.compile(r"^\S*: \(([\w.]+)\)", re.MULTILINE)


def check_deploy(tmp_path) -> tuple[int, str, list[str]]:
    result = run(["manage.py", "check", "--deploy"], production_env(tmp_path))
    output = result.stdout + result.stderr
    return result.returncode, output, CHECK_ID.findall(output)


def test_given_production_environment_when_check_deploy_then_no_security_warnings(tmp_path):
    returncode, output, ids = check_deploy(tmp_path)
    assert returncode == 0, output
    assert [i for i in ids if not i.startswith("drf_spectacular.")] == [], output


def test_given_production_environment_then_the_accounts_api_has_no_schema_warning(tmp_path):
    _, output, _ = check_deploy(tmp_path)
    assert "qinqing/accounts/" not in output and "ObtainToken" not in output and "UserList" not in output


def test_given_production_environment_when_check_deploy_then_no_warnings_at_all(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_given_production_environment_then_hsts_secure_cookies_and_csp_are_on(tmp_path):
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_AGE', 'AXES_FAILURE_LIMIT', 'QINQING_CSP')}))"
    )
    result = run(["-c", probe], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_SSL_REDIRECT"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_AGE"] == 1800 and values["AXES_FAILURE_LIMIT"] == 5
    assert "default-src 'self'" in values["QINQING_CSP"]


def test_given_production_without_secret_key_then_start_up_refuses(tmp_path):
    env = production_env(tmp_path)
    env.pop("DJANGO_SECRET_KEY")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_given_production_without_audit_key_then_start_up_refuses(tmp_path):
    env = production_env(tmp_path)
    env.pop("QINQING_AUDIT_KEY")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0 and "QINQING_AUDIT_KEY must be set" in result.stderr


def test_given_no_secret_key_in_the_embedded_mode_then_a_random_private_key_is_kept_across_starts(tmp_path):
    env = production_env(tmp_path, QINQING_ALLOW_LOCAL_SECRET="1", QINQING_SECRET_KEY_FILE=str(tmp_path / "k"))
    env.pop("DJANGO_SECRET_KEY")
    probe = "import django; django.setup(); from django.conf import settings as s; print(s.SECRET_KEY)"
    first = run(["-c", probe], env)
    second = run(["-c", probe], env)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "k").read_text()
    assert len(key) >= 50 and first.stdout.split()[-1] == key == second.stdout.split()[-1]
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600
    other = production_env(tmp_path, QINQING_ALLOW_LOCAL_SECRET="1", QINQING_SECRET_KEY_FILE=str(tmp_path / "k2"))
    other.pop("DJANGO_SECRET_KEY")
    assert run(["-c", probe], other).stdout.split()[-1] != key  # no two installations share a key
