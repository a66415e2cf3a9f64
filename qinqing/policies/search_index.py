"""The policy search index: tantivy on disk (``var/search/…``), shared by every process.

Why: the databases' full-text indexes (FTS5, tsvector) score and count *every* match, which for a common
word (融资 in 17% of 100,000 policies) costs 40–500 ms; tantivy ranks the top k with BM25 and counts the
matches in about a millisecond. The database index (search.py) stays current too and serves as the
fallback whenever this index is not built (a fresh install before ``rebuild_policy_index``), or a
queryset's filter cannot be expressed here.

What is indexed per policy: its segmented words (``search_text``) and its small filter columns (state,
level, benefit type, owner path, issuer, dates…), so a search restricted by any queryset of plain lookups on
those columns — the visibility rules and the list filters — is answered here with an exact count.
:func:`search_query.translate` turns the queryset's WHERE tree into a tantivy query, or raises Untranslatable
(fallback). This module holds the index itself: its schema, documents, the process's handle and the writes.

Several processes: one writer at a time (tantivy's lock file; :func:`_writer` retries while another process
holds it); readers check ``meta.json`` before each search and reload when another process committed.
Every page of ids is re-read through the caller's queryset, so an entry the database no longer has (a
rolled-back transaction, a policy deleted elsewhere) is never shown; the nightly rebuild removes it.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection

from .choices import PublishState

logger = logging.getLogger(__name__)

# 2: the indexed text holds the benefit type and method labels; 3: org_scope, issuer_scope and nulls (filter terms)
SCHEMA_VERSION = "3"
TOKENIZER = "words"  # whitespace + lowercase: the words are already segmented (segment.py)
# Policy columns that can appear in a filter, and how each is indexed.
STRING_FIELDS = ("state", "level", "benefit_type", "application_method", "org_path")
INT_FIELDS = ("issuer_id", "owner_id", "created_by_id")
DATE_FIELDS = ("published_on", "effective_on", "expires_on")
NULLABLE_FIELDS = (*INT_FIELDS, *DATE_FIELDS)  # their NULLs are terms of the nulls field
ISSUER_PATH = "issuer__path"  # the issuing organisation's path (the staff visibility rule's join)
COLUMNS = ("id", "search_text", *STRING_FIELDS, *INT_FIELDS, *DATE_FIELDS, ISSUER_PATH)
# Columns the database holds to a closed set of values (a CheckConstraint on the model): ``col = v`` is then exactly
# ``col NOT IN (the other values)``, answered from the others' postings — few, since nearly every policy is
# published — instead of intersecting every match with the postings of v (all of the published ones).
CLOSED_FIELDS = {"state": tuple(PublishState.values)}
# Besides the columns, fields of terms that make the visibility rule's filters postings, not scans: org_scope
# holds every prefix of org_path that ends in "/" (so ``org_path LIKE '/A/B/%'`` is the term "/A/B/"),
# issuer_scope the same of the issuer's path (``issuer__path__startswith``: the staff rule's "issued in my
# subtree", through the issuer join), nulls the names of the integer and date columns that are NULL (so
# ``issuer_id IS NULL`` is the term "issuer_id"). A regex or an "all but those that exist" query visits every
# document of the index: 0.2-0.4 ms of each search at 100,000. (An organisation's path never changes.)
SCOPE_FIELD, ISSUER_SCOPE_FIELD, NULLS_FIELD = "org_scope", "issuer_scope", "nulls"
PATH = re.compile(r"(?:/[A-Za-z0-9_-]+)*/")  # an organisation path, or a prefix of one that ends in "/"


class Untranslatable(Exception):
    """The queryset's filter uses something this index does not hold; search in the database instead."""


def enabled() -> bool:
    """False when settings.POLICY_SEARCH_ENGINE is "database" (QINQING_POLICY_SEARCH_ENGINE): the database's own
    index (tsvector/GIN on PostgreSQL, FTS5 on SQLite) answers every search and nothing is kept on the machine.
    The setting for several application servers: one server's index would not see another's writes."""
    return getattr(settings, "POLICY_SEARCH_ENGINE", "tantivy") != "database"


def index_path() -> Path:
    """settings.POLICY_SEARCH_INDEX, else var/search/<database>/policies (each database its own index)."""
    configured = getattr(settings, "POLICY_SEARCH_INDEX", None)
    if configured:
        return Path(configured)
    name = Path(str(connection.settings_dict.get("NAME") or "default")).name
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{connection.vendor}-{name}")[:80]
    return Path(settings.BASE_DIR) / "var" / "search" / slug / "policies"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pid", stored=True, indexed=True, fast=True)  # i64: the binding deletes by i64 terms
    builder.add_text_field("text", tokenizer_name=TOKENIZER, index_option="freq")
    for name in STRING_FIELDS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in (*INT_FIELDS, *DATE_FIELDS):
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_text_field(SCOPE_FIELD, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(ISSUER_SCOPE_FIELD, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(NULLS_FIELD, tokenizer_name="raw", index_option="basic")
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase()).build()


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index(_schema(), path=str(path), reuse=True)
    index.register_tokenizer(TOKENIZER, _analyzer())
    index.config_reader(reload_policy="Manual")
    return index


def _version_file(path: Path) -> Path:
    return path / "qinqing-version"


def _build_id(path: Path) -> str | None:
    """The build id of a complete index of the current schema at ``path``, else None."""
    try:
        version, build = _version_file(path).read_text().split()
    except (OSError, ValueError):
        return None
    return build if version == SCHEMA_VERSION else None


@dataclass
class _Handle:
    index: tantivy.Index
    build: str
    meta_mtime: int


_handles: dict[str, _Handle] = {}
_lock = threading.Lock()


def _meta_mtime(path: Path) -> int:
    try:
        return (path / "meta.json").stat().st_mtime_ns
    except OSError:
        return 0


def handle() -> _Handle | None:
    """This process's open index, reloaded if another process committed; None when it is not built."""
    if not enabled():
        return None
    path = index_path()
    key = str(path)
    with _lock:
        build = _build_id(path)
        current = _handles.get(key)
        if build is None:
            _handles.pop(key, None)
            return None
        if current is None or current.build != build:
            try:
                current = _Handle(_open(path), build, _meta_mtime(path))
            except ValueError as exc:  # an index of another schema: unusable until rebuilt
                logger.warning("policy search index at %s cannot be opened (%s); run rebuild_policy_index", path, exc)
                _handles.pop(key, None)
                return None
            _handles[key] = current
        else:
            mtime = _meta_mtime(path)
            if mtime != current.meta_mtime:
                current.index.reload()
                current.meta_mtime = mtime
        return current


def is_ready() -> bool:
    return handle() is not None


# --- writing ----------------------------------------------------------------------------------------


def _writer(index: tantivy.Index, timeout: float = 10.0) -> tantivy.IndexWriter:
    """The index's single writer; another process holding it is waited for (up to ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return index.writer(heap_size=15_000_000, num_threads=1)
        except ValueError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _date(value: datetime.date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _document(row: dict) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("pid", row["id"])
    doc.add_text("text", row["search_text"] or "")
    for name in STRING_FIELDS:
        doc.add_text(name, row[name] or "")
    for field, path in ((SCOPE_FIELD, row["org_path"]), (ISSUER_SCOPE_FIELD, row.get(ISSUER_PATH))):
        for end, char in enumerate(path or ""):
            if char == "/":
                doc.add_text(field, path[: end + 1])
    for name in NULLABLE_FIELDS:
        if row[name] is None:
            doc.add_text(NULLS_FIELD, name)
        else:
            doc.add_integer(name, _date(row[name]) if name in DATE_FIELDS else row[name])
    return doc


def _commit(current: _Handle, change) -> None:
    """Apply ``change`` and commit. A failure is logged, not raised: saving a policy must not fail because
    of its search entry (the page re-read hides a stale entry; the nightly rebuild repairs it)."""
    try:
        _apply(current, change)
    except (ValueError, OSError):
        logger.exception("policy search index update failed at %s", index_path())


def _apply(current: _Handle, change) -> None:
    writer = _writer(current.index)
    try:
        change(writer)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    current.index.reload()
    current.meta_mtime = _meta_mtime(index_path())


def upsert(policy_ids: list[int]) -> None:
    """Bring the given policies' entries up to date (removed when the policy no longer exists)."""
    from .models import Policy

    current = handle()
    if current is None or not policy_ids:
        return
    rows = list(Policy.objects.filter(pk__in=policy_ids).values(*COLUMNS))

    def change(writer):
        for pk in policy_ids:
            writer.delete_documents_by_term("pid", pk)
        for row in rows:
            writer.add_document(_document(row))

    _commit(current, change)


def remove(policy_id: int) -> None:
    current = handle()
    if current is not None:
        _commit(current, lambda writer: writer.delete_documents_by_term("pid", policy_id))


def rebuild(batch: int = 5000, *, rows=None) -> int:
    """Build the whole index afresh from the database (or from ``rows``) beside the live one, then swap it in."""
    from .models import Policy

    if not enabled():  # the database's index is current already; nothing to build on this machine
        return Policy.objects.count()
    if rows is None:
        rows = Policy.objects.order_by().values(*COLUMNS).iterator(chunk_size=batch)
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"{path.name}.build-{uuid.uuid4().hex[:8]}")
    fresh.mkdir()
    index = _open(fresh)
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    count = 0
    for row in rows:
        writer.add_document(_document(row))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    _version_file(fresh).write_text(f"{SCHEMA_VERSION} {uuid.uuid4().hex}\n")
    old = path.with_name(f"{path.name}.old-{uuid.uuid4().hex[:8]}")
    live = handle()
    held = _writer(live.index, timeout=60) if live is not None else None  # no other process mid-write
    try:
        if path.exists():
            os.rename(path, old)
        os.rename(fresh, path)
    finally:
        if held is not None:
            held.rollback()
            held.wait_merging_threads()
    shutil.rmtree(old, ignore_errors=True)
    return count


def drop() -> None:
    """Remove the index (searches fall back to the database until the next rebuild)."""
    shutil.rmtree(index_path(), ignore_errors=True)
    _handles.pop(str(index_path()), None)
