"""With DEBUG off, keys in the default var/ files or beside the SQLite database are refused by
``check --deploy`` (issue 11 §4: the process writing the database directory must not read the key)."""

import json

from qinqing.core import checks
from qinqing.core.crypto import keys


def test_given_debug_off_and_default_key_files_then_deploy_check_refuses(settings, monkeypatch, tmp_path):
    settings.DEBUG = False
    monkeypatch.delenv("QINQING_AUDIT_KEY", raising=False)
    monkeypatch.delenv("QINQING_AUDIT_KEY_FILE", raising=False)
    settings.QINQING_DATA_KEYS = settings.QINQING_INDEX_KEYS = ""
    monkeypatch.setattr(keys, "default_key_file", lambda: tmp_path / "crypto_keys.json")
    errors = checks.keys_away_from_database()
    assert {e.id for e in errors} == {"qinqing.E001"} and len(errors) == 2
    assert "审计密钥" in errors[0].msg and "个人信息加密密钥" in errors[1].msg
    assert checks.keys_away_from_database_warning() == []  # single-machine mode: quiet outside --deploy
    settings.QINQING_ALLOW_LOCAL_SECRET = False
    warnings = checks.keys_away_from_database_warning()
    assert {w.id for w in warnings} == {"qinqing.W001"} and "不可用" in warnings[-1].msg
    settings.DEBUG = True
    assert checks.keys_away_from_database() == []


def test_given_keys_from_environment_or_another_volume_then_accepted(settings, monkeypatch, tmp_path):
    settings.DEBUG = False
    monkeypatch.setenv("QINQING_AUDIT_KEY", "k" * 40)
    assert checks.keys_away_from_database() == []  # conftest gives data keys through settings
    key_file = tmp_path / "keys" / "qinqing.json"
    key_file.parent.mkdir()
    key_file.write_text(json.dumps(keys.new_key_document()))
    settings.QINQING_KEY_FILE = str(key_file)
    assert checks.keys_away_from_database() == []
    # the same file beside the SQLite database is refused
    monkeypatch.setattr(checks, "_database_dir", lambda: key_file.parent.resolve())
    assert [e.id for e in checks.keys_away_from_database()] == ["qinqing.E001"]


def test_given_audit_retention_below_180_days_then_error(settings):
    settings.QINQING_AUDIT_RETENTION_DAYS = 90
    assert [e.id for e in checks.audit_retention()] == ["qinqing.E002"]
    settings.QINQING_AUDIT_RETENTION_DAYS = 180
    assert checks.audit_retention() == []
