"""Counts under each FIC node of a subtree, computed from organisation paths in a few queries."""

from collections import Counter, defaultdict

from django.db.models import Count

from .choices import OrgKind
from .models import Organization

COUNTED_KINDS = (OrgKind.CHAMBER, OrgKind.DEPARTMENT, OrgKind.BANK, OrgKind.LAWFIRM)


def _prefixes(path: str) -> list[str]:
    """ "/a/b/c/" -> ["/a/", "/a/b/", "/a/b/c/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def subtree_counts(orgs, users) -> dict[str, Counter]:
    """For every path in ``orgs`` (a scoped Organization queryset): how many chambers, departments, banks,
    law firms (kinds) and users (key "users") lie at or below it. ``users`` is a scoped User queryset."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for kind, path in orgs.filter(kind__in=COUNTED_KINDS).values_list("kind", "path").iterator(chunk_size=2000):
        for prefix in _prefixes(path)[:-1]:
            counts[prefix][kind] += 1
    for path, n in users.values("org__path").annotate(n=Count("pk")).values_list("org__path", "n"):
        for prefix in _prefixes(path):
            counts[prefix]["users"] += n
    return counts


def fic_rows(fics: list[Organization], counts: dict[str, Counter]) -> list[dict]:
    base = min((f.depth for f in fics), default=0)
    return [{"org": f, "indent": f.depth - base, "counts": counts.get(f.path, Counter())} for f in fics]
