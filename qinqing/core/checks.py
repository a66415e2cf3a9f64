"""System checks for where the keys live and how long the audit log is kept (issue 11 §3–4).

In production (DEBUG off) neither the audit chain's HMAC key nor the personal-data keys may sit in the
default ``var/`` files or in the directory of the SQLite database: whoever can write the database
file's directory could then read the key and re-seal the chain or open the data. ``check --deploy``
refuses that (errors); a plain ``check`` with DEBUG off warns. docs/deployment.md says where to put them.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

MIN_AUDIT_RETENTION_DAYS = 180  # 网络安全法 art. 21: network logs kept at least six months


def _database_dir() -> Path | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) != ":memory:":
        return Path(db["NAME"]).resolve().parent
    return None


def _default_dir() -> Path:
    return (Path(settings.BASE_DIR) / "var").resolve()


def key_location_problems() -> list[str]:
    """Why the keys are too close to the database ([] when they are not)."""
    problems = []
    near = {d for d in (_default_dir(), _database_dir()) if d is not None}
    if not os.environ.get("QINQING_AUDIT_KEY"):
        audit_file = Path(os.environ.get("QINQING_AUDIT_KEY_FILE", str(_default_dir() / "audit_key"))).resolve()
        if audit_file.parent in near:
            problems.append(
                _("审计密钥文件 %(path)s 位于默认目录或数据库所在目录：请用 QINQING_AUDIT_KEY 或另一目录中的文件")
                % {"path": audit_file}
            )
    from qinqing.core.crypto import keys

    try:
        provider = keys.provider()
    except Exception as exc:  # any provider failure is a configuration error here
        return [*problems, _("个人信息加密密钥不可用：%(error)s") % {"error": exc}]
    local = provider if isinstance(provider, keys.LocalKeyProvider) else None  # a cipher machine: not ours to judge
    if local is not None:
        if local.source == "default":
            problems.append(
                _("个人信息加密密钥在默认文件 %(path)s 中：请配置 QINQING_KEY_FILE（另一卷）或密码机")
                % {"path": keys.default_key_file()}
            )
        elif local.source == "file" and Path(settings.QINQING_KEY_FILE).resolve().parent in near:
            problems.append(_("个人信息加密密钥文件位于数据库所在目录：请放到另一卷"))
    return problems


@checks.register(checks.Tags.security, deploy=True)
def keys_away_from_database(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    return [checks.Error(p, id="qinqing.E001") for p in key_location_problems()]


@checks.register(checks.Tags.security)
def keys_away_from_database_warning(app_configs=None, **kwargs):
    # Production mode only (QINQING_ALLOW_LOCAL_SECRET=0): the single-machine demo keeps var/ and stays quiet.
    if settings.DEBUG or getattr(settings, "QINQING_ALLOW_LOCAL_SECRET", True):
        return []
    return [checks.Warning(p, id="qinqing.W001") for p in key_location_problems()]


@checks.register(checks.Tags.security)
def audit_retention(app_configs=None, **kwargs):
    days = settings.QINQING_AUDIT_RETENTION_DAYS
    if days < MIN_AUDIT_RETENTION_DAYS:
        return [
            checks.Error(
                _("审计日志保留期 %(days)s 天，少于网络安全法要求的 180 天（QINQING_AUDIT_RETENTION_DAYS）")
                % {"days": days},
                id="qinqing.E002",
            )
        ]
    return []
