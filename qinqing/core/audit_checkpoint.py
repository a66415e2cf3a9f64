"""Signed checkpoints of the audit chain, kept outside the database.

The hash chain proves that rows were not changed by someone without the key, and the triggers stop the
application from changing them. Neither helps against someone who deletes the last rows and winds the
head back, or who holds the key and re-seals the whole chain. So at least hourly (scheduler, and the
daily verification) a checkpoint line — sequence number (the id of the newest row), its hash, the time,
an HMAC over them — is appended to ``QINQING_AUDIT_CHECKPOINT_DIR/checkpoints.log`` (opened O_APPEND;
production makes the file append-only, ``chattr +a``, on a volume the database process cannot rewrite)
and sent to syslog when ``QINQING_AUDIT_SYSLOG`` names a socket or ``host:port``.

``verify()`` compares the database with every checkpoint: a checkpointed row that is gone (truncation)
or whose hash differs (re-sealed) is reported, as is a checkpoint whose signature does not verify.
"""

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import AuditEntry

FILE_NAME = "checkpoints.log"
logger = logging.getLogger("qinqing.audit.checkpoint")


def directory() -> Path:
    return Path(settings.QINQING_AUDIT_CHECKPOINT_DIR)


def path() -> Path:
    return directory() / FILE_NAME


def _signature(seq: int, head: str, at: str) -> str:
    key = settings.QINQING_AUDIT_KEY.encode("utf-8")
    return hmac.new(key, f"qinqing-checkpoint|{seq}|{head}|{at}".encode(), hashlib.sha256).hexdigest()


def write_checkpoint() -> dict:
    """Append the current head as a signed checkpoint (file, and syslog when configured)."""
    head = audit.chain_head()
    seq, head_hash = (head.last_id, head.last_hash) if head else (0, "0" * 64)
    at = timezone.now().isoformat(timespec="seconds")
    entry = {"seq": seq, "hash": head_hash, "at": at, "sig": _signature(seq, head_hash, at)}
    line = json.dumps(entry, separators=(",", ":")) + "\n"
    directory().mkdir(parents=True, exist_ok=True)
    fd = os.open(path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    _syslog(line.strip())
    return entry


def _syslog(message: str) -> None:
    target = getattr(settings, "QINQING_AUDIT_SYSLOG", "")
    if not target:
        return
    if ":" in target and not target.startswith("/"):
        host, port = target.rsplit(":", 1)
        address: str | tuple[str, int] = (host, int(port))
    else:
        address = target
    handler = logging.handlers.SysLogHandler(address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
    try:
        handler.emit(
            logging.LogRecord("qinqing.audit", logging.INFO, __file__, 0, f"qinqing-audit {message}", (), None)
        )
    finally:
        handler.close()


def read_checkpoints() -> list[tuple[int, dict | None]]:
    """(line number, checkpoint or None when the line is not valid JSON)."""
    try:
        text = path().read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return []
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            out.append((number, json.loads(line)))
        except ValueError:
            out.append((number, None))
    return out


@dataclass
class CheckpointReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(archived: dict[int, str] | None = None) -> CheckpointReport:
    """Every checkpoint against the database (and against archived segments for rows moved out of it:
    ``archived`` maps id → hash of the archived rows a checkpoint may name)."""
    report = CheckpointReport()
    archived = archived or {}
    checkpoints = read_checkpoints()
    wanted = [cp["seq"] for _n, cp in checkpoints if isinstance(cp, dict) and cp.get("seq")]
    stored = dict(AuditEntry.objects.filter(id__in=wanted).values_list("id", "hash")) if wanted else {}
    for number, cp in checkpoints:
        try:
            seq, head_hash, at, sig = int(cp["seq"]), str(cp["hash"]), str(cp["at"]), str(cp["sig"])
        except (TypeError, KeyError, ValueError):
            report.problems.append(_("检查点文件第%(n)s行无法解析") % {"n": number})
            continue
        if not hmac.compare_digest(sig, _signature(seq, head_hash, at)):
            report.problems.append(_("检查点文件第%(n)s行签名不符（检查点被伪造或改写）") % {"n": number})
            continue
        report.checked += 1
        if seq == 0:
            continue
        found = stored.get(seq, archived.get(seq))
        if found is None:
            report.problems.append(
                _("检查点（%(at)s）记录的第 %(seq)s 条审计记录已不存在（日志末尾被删除）") % {"at": at, "seq": seq}
            )
        elif found != head_hash:
            report.problems.append(
                _("检查点（%(at)s）记录的第 %(seq)s 条审计记录摘要不符（日志被改写后重新封链）")
                % {"at": at, "seq": seq}
            )
    return report
