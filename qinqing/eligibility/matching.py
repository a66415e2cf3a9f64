"""Owner-scoped vectorised evaluation: many rules, each owned at an org path, over one attributes frame."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import polars as pl

from . import rules


def ancestor_paths(path: str) -> list[str]:
    """'/a/b/c/' → ['/', '/a/', '/a/b/', '/a/b/c/']"""
    parts = [p for p in path.split("/") if p]
    return ["/"] + ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def evaluate_owned(
    owned: Iterable[tuple[int, str, dict]], frame: pl.DataFrame, scope_path: str
) -> dict[int, pl.Series]:
    """Eligible ids per rule id for (rule id, owner org path, rule) triples; a rule owned below the scope only
    reaches its own subtree."""
    by_path: dict[str, dict[int, dict]] = defaultdict(dict)
    for key, org_path, rule in owned:
        by_path[org_path if len(org_path) > len(scope_path) else scope_path][key] = rule
    results: dict[int, pl.Series] = {}
    for path, group in by_path.items():
        sub = frame if path == scope_path else frame.filter(pl.col("org_path").str.starts_with(path))
        results.update(rules.evaluate_all(group, sub))
    return results
