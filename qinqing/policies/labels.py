"""Names for the ids and codes in rules and enterprise data, for explanations (rules.describe_value's ``names``).

rules.py is pure; this module reads the few names a page needs: chamber names for chamber ids, region names
for GB/T 2260 codes (or code prefixes), GB/T 4754 names for industry codes ("3311 金属结构制造").
"""

from __future__ import annotations

from collections.abc import Iterable

from qinqing.eligibility import rules
from qinqing.orgs.models import Organization, Region
from qinqing.registry.standards import industry


def _values(rule_list: Iterable[dict], attrs_list: Iterable[dict], key: str) -> set[str]:
    found: set[str] = set()
    for rule in rule_list:
        for leaf in rules.leaves(rule or {"op": "all", "items": []}):
            if leaf.get("attr") == key:
                value = leaf.get("value")
                found.update(str(v) for v in (value if isinstance(value, list) else [value]) if v not in (None, ""))
    for attrs in attrs_list:
        value = (attrs or {}).get(key)
        if value in (None, ""):
            continue
        found.update(str(v) for v in (value if isinstance(value, (list, tuple, set)) else [value]))
    return found


def value_names(rule_list: Iterable[dict], attrs_list: Iterable[dict] = ()) -> rules.Names:
    rule_list, attrs_list = list(rule_list), list(attrs_list)
    names: rules.Names = {"chambers": {}, "region": {}, "industry": {}}
    chamber_ids = [int(v) for v in _values(rule_list, attrs_list, "chambers") if v.isdigit()]
    if chamber_ids:
        names["chambers"] = {
            str(pk): name
            for pk, name in Organization.objects.filter(pk__in=chamber_ids, kind="chamber").values_list("pk", "name")
        }
    codes = _values(rule_list, attrs_list, "region")
    if codes:
        full = {code: code.ljust(6, "0")[:6] for code in codes if code.isdigit()}
        found = dict(
            Region.objects.filter(code__in=set(full.values())).order_by("valid_from").values_list("code", "name")
        )
        names["region"] = {code: f"{code} {found[f]}" for code, f in full.items() if f in found}
    for code in _values(rule_list, attrs_list, "industry"):
        entry = industry.lookup(code)
        if entry is not None:
            names["industry"][code] = f"{code} {entry.name}"
    return names
