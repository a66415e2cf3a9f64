"""Query-time synonyms for policy search (检索同义词): a query word also finds the words its row lists.

``expand`` turns the query's words into groups: every group must match (AND, as before); a group matches
when any of its alternatives does (OR); an alternative of several words (a synonym the segmenter splits,
e.g. 两化融合 → 两化 融合) needs all of them. Both engines (search.py on the database, search_index.py on
tantivy) evaluate the same groups, so they find the same policies.
"""

from __future__ import annotations

import re
import time

from .segment import query_words

Alternative = list[str]  # words that must all occur
Group = list[Alternative]  # any alternative

SEPARATORS = re.compile(r"[\s,，、;；/|]+")


def split_synonyms(text: str) -> list[str]:
    """The words of a synonym cell, in order, without duplicates or blanks."""
    words: list[str] = []
    for word in SEPARATORS.split(text or ""):
        word = word.strip().lower()
        if word and word not in words:
            words.append(word)
    return words


def expand(words: list[str], table: dict[str, list[str]]) -> list[Group]:
    """One group per query word: the word itself, then each synonym's query words."""
    groups: list[Group] = []
    for word in words:
        group: Group = [[word]]
        for synonym in table.get(word, []):
            alternative = query_words(synonym)
            if alternative and alternative not in group:
                group.append(alternative)
        groups.append(group)
    return groups


def flat(groups: list[Group]) -> list[str]:
    """Every word of the groups (for highlighting)."""
    found: list[str] = []
    for group in groups:
        for alternative in group:
            found.extend(w for w in alternative if w not in found)
    return found


# Outside a transaction a process keeps the whole (small) table for CACHE_SECONDS: a search then needs no query
# for it. A change saved in this process (or a migrate/flush) forgets it at once; other processes within that time.
CACHE_SECONDS = 30
_cached: tuple[float, list[tuple[str, str]]] | None = None


def table_for(words: list[str]) -> dict[str, list[str]]:
    """The synonym rows of the given query words (from the process's copy of the table, or one indexed query
    inside a transaction, which must see its own uncommitted rows)."""
    from django.db import connection

    from .models import SearchSynonym

    global _cached
    if not words:
        return {}
    if connection.in_atomic_block:
        rows = list(SearchSynonym.objects.filter(term__in=words).values_list("term", "synonyms"))
    else:
        now = time.monotonic()
        if _cached is None or now - _cached[0] > CACHE_SECONDS:
            _cached = (now, list(SearchSynonym.objects.values_list("term", "synonyms")))
        wanted = set(words)
        rows = [(term, synonyms) for term, synonyms in _cached[1] if term in wanted]
    return {term.lower(): split_synonyms(synonyms) for term, synonyms in rows}


def forget(**_kwargs) -> None:
    """Drop this process's copy of the table (connected to SearchSynonym's saves and deletes, and migrate)."""
    global _cached
    _cached = None
