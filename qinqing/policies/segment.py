"""Chinese word segmentation for search (rjieba), and highlighting. Pure: no ORM.

Documents are segmented with ``cut_for_search`` (whole words plus their shorter dictionary words, so
"稳岗补贴" is indexed as 稳岗, 补贴 and 稳岗补贴); queries with ``cut`` (whole words). Both databases index
the same space-separated words, so SQLite and PostgreSQL find the same policies.
"""

from __future__ import annotations

import functools
import html
import re

import rjieba
from django.utils.safestring import SafeString

_WORD = re.compile(r"\w", re.UNICODE)


def _clean(tokens) -> list[str]:
    return [t.strip().lower() for t in tokens if t.strip() and _WORD.search(t)]


def segment(*texts: str) -> str:
    """Space-separated search words of the given texts (duplicates kept: they weigh in the ranking)."""
    words: list[str] = []
    for text in texts:
        if text:
            words.extend(_clean(rjieba.cut_for_search(text)))
    return " ".join(words)


def query_words(query: str) -> list[str]:
    """The words of a user's query, in order, without duplicates."""
    words = []
    for word in _clean(rjieba.cut(query or "")):
        if word not in words:
            words.append(word)
    return words[:10]


@functools.lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    """One regular expression for the query's words, longest first (compiled once per query)."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str, words: list[str], length: int = 120) -> SafeString:
    """An HTML-escaped excerpt of ``text`` around the first hit, with every hit wrapped in <mark>. (html.escape:
    what Django's escape() calls, without its lazy-string wrapper and SafeString per piece.)"""
    text = text or ""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return SafeString(html.escape(text[:length]))  # not mark_safe: its lazy-string wrapper costs 0.6 µs a call
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - length // 4)
    excerpt = text[start : start + length]
    parts, last = [], 0
    for hit in pattern.finditer(excerpt):
        parts.append(html.escape(excerpt[last : hit.start()]))
        parts.append(f"<mark>{html.escape(hit.group())}</mark>")
        last = hit.end()
    parts.append(html.escape(excerpt[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return SafeString(prefix + "".join(parts) + suffix)  # every piece is escaped above
