"""Audit retention: rows older than QINQING_AUDIT_RETENTION_DAYS (≥ 180, 网络安全法 art. 21) move from
the database to archived segments that still verify.

A segment is one JSON-lines file in QINQING_AUDIT_ARCHIVE_DIR: every row with its id, prev_hash, hash
and hashed fields, then a manifest line (first and last id, count, the first row's prev_hash, the last
hash, an HMAC). The file is written and synced before the rows are deleted (the one place the
application lifts the audit guard), so a crash leaves the rows in both places, never in neither;
re-archiving skips rows already in a segment. ``verify_segments`` recomputes each segment's chain and
checks that segments and the database join without a gap.
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, audit_guard
from .models import AuditEntry

VALUES = ("id", "prev_hash", "hash", *audit.HASHED_FIELDS)


def directory() -> Path:
    return Path(settings.QINQING_AUDIT_ARCHIVE_DIR)


def _sign(manifest: dict) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "sig"}, sort_keys=True, separators=(",", ":"))
    return hmac.new(settings.QINQING_AUDIT_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()


def _row_json(row: dict) -> dict:
    out = {name: audit._jsonable(row[name]) for name in VALUES}
    out["created_at"] = row["created_at"].isoformat()
    return out


def segment_files() -> list[Path]:
    if not directory().exists():
        return []
    return sorted(directory().glob("segment-*.jsonl"), key=lambda p: int(p.stem.split("-")[1]))


def read_segment(path: Path) -> tuple[list[dict], dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines or "manifest" not in lines[-1]:
        raise ValueError(_("归档段 %(name)s 缺少清单行") % {"name": path.name})
    return lines[:-1], lines[-1]["manifest"]


def last_archived() -> tuple[int, str]:
    """(last archived id, its hash), or (0, GENESIS) when nothing was archived."""
    files = segment_files()
    if not files:
        return 0, audit.GENESIS
    _rows, manifest = read_segment(files[-1])
    return int(manifest["last_id"]), str(manifest["last_hash"])


def archive_old(now=None, batch: int = 50_000) -> dict | None:
    """Move rows older than the retention period into one new segment; returns its manifest."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.QINQING_AUDIT_RETENTION_DAYS)
    after, _hash = last_archived()
    head = audit.chain_head()
    newest = head.last_id if head else 0
    rows = list(
        AuditEntry.objects.filter(id__gt=after, id__lt=newest, created_at__lt=cutoff)
        .order_by("id")
        .values(*VALUES)[:batch]
    )
    if not rows:
        return None
    manifest = {
        "first_id": rows[0]["id"],
        "last_id": rows[-1]["id"],
        "count": len(rows),
        "first_prev_hash": rows[0]["prev_hash"],
        "last_hash": rows[-1]["hash"],
        "archived_at": now.isoformat(timespec="seconds"),
        "retention_days": settings.QINQING_AUDIT_RETENTION_DAYS,
    }
    manifest["sig"] = _sign(manifest)
    directory().mkdir(parents=True, exist_ok=True)
    target = directory() / f"segment-{manifest['first_id']}-{manifest['last_id']}.jsonl"
    scratch = target.with_suffix(".tmp")
    with scratch.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(_row_json(row), ensure_ascii=False, sort_keys=True) + "\n")
        out.write(json.dumps({"manifest": manifest}, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(scratch, target)
    with transaction.atomic(), audit_guard.lifted():
        AuditEntry.objects.filter(id__gte=manifest["first_id"], id__lte=manifest["last_id"])._raw_delete(
            AuditEntry.objects.db
        )
    audit.record("core.audit_archived", object_type="core.auditsegment", object_id=target.name, after=manifest)
    return manifest


@dataclass
class ArchiveReport:
    segments: int = 0
    rows: int = 0
    last_id: int = 0
    last_hash: str = audit.GENESIS
    problems: list[str] = field(default_factory=list)
    hashes: dict[int, str] = field(default_factory=dict)  # id → hash, for checkpoints naming archived rows

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_segments() -> ArchiveReport:
    report = ArchiveReport()
    prev = audit.GENESIS
    for path in segment_files():
        try:
            rows, manifest = read_segment(path)
        except (ValueError, json.JSONDecodeError) as exc:
            report.problems.append(str(exc))
            break
        if not hmac.compare_digest(str(manifest.get("sig", "")), _sign(manifest)):
            report.problems.append(_("归档段 %(name)s 的清单签名不符") % {"name": path.name})
            break
        if manifest["first_prev_hash"] != prev:
            report.problems.append(_("归档段 %(name)s 与前一段不衔接（缺段或被替换）") % {"name": path.name})
            break
        for row in rows:
            if row["prev_hash"] != prev or audit.compute_hash(prev, _parsed(row)) != row["hash"]:
                report.problems.append(
                    _("归档段 %(name)s 中第 %(id)s 条记录摘要不符") % {"name": path.name, "id": row["id"]}
                )
                return report
            prev = row["hash"]
            report.hashes[row["id"]] = row["hash"]
        if len(rows) != manifest["count"] or prev != manifest["last_hash"]:
            report.problems.append(_("归档段 %(name)s 的记录数或末条摘要与清单不符") % {"name": path.name})
            break
        report.segments += 1
        report.rows += len(rows)
        report.last_id, report.last_hash = int(manifest["last_id"]), prev
    return report


def _parsed(row: dict) -> dict:
    from datetime import datetime

    return {**row, "created_at": datetime.fromisoformat(row["created_at"])}
