"""The rule builder: a rule of the shared eligibility engine (qinqing.eligibility) edited as condition rows and
all/any groups posted as flat fields, no JSON. Every form that carries a rule uses it: a policy's conditions,
an activity's and a survey's target audience, a bank product's eligibility conditions (``RuleField``).

Field names encode each node's place in the tree: ``rule-<path>-kind`` (leaf|group), ``-attr``, ``-op``,
``-value`` (several values for check boxes), ``-delete``; a path is dot-separated ids ("3", "3.7"), so
nested groups need no management form and rows added by HTMX only need a fresh id.

The pickers offer only what lies in the user's scope (``builder_scope``): the regions of the FIC tree and the
chambers under it; the industry search answers GB/T 4754 vocabulary only. The row endpoints
(``policies:rule_node``, ``policies:industry_search``) require ``policies.build_rule`` (permissions.BUILD_RULE),
held by every role that edits a rule-bearing object.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from qinqing.eligibility import rules
from qinqing.orgs.models import Organization
from qinqing.registry.standards import industry

from .labels import value_names

PREFIX = "rule"
_KIND_KEY = re.compile(rf"^{PREFIX}-([0-9a-z.]+)-kind$")
LEAF_NAME = re.compile(rf"^{PREFIX}-[0-9a-z.]+$")
NOWHERE = "/nonexistent/"


def builder_scope(user) -> tuple[str, str]:
    """(regions under, chambers under) for the pickers. FIC staff: their node. A department or a bank: the FIC
    it belongs to. A chamber secretary: the chamber's FIC for regions (a chamber's activity reaches the
    enterprises under it) and only their own chamber for chambers."""
    org = getattr(user, "org", None) if user is not None else None
    if org is None:
        return NOWHERE, NOWHERE
    if org.kind == "fic":
        return org.path, org.path
    fic = org.fic().path
    return fic, org.path if org.kind == "chamber" else fic


def new_id() -> str:
    return secrets.token_hex(3)


def parse_rule(data: QueryDict) -> dict:
    """The rule tree from posted builder fields (validated later by rules.normalize)."""
    nodes: dict[str, dict] = {"": {"op": data.get(f"{PREFIX}-op", "all"), "items": []}}
    for key in data:
        match = _KIND_KEY.match(key)
        if not match:
            continue
        path = match.group(1)
        name = f"{PREFIX}-{path}"
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        if data.get(f"{name}-delete") or parent not in nodes:
            continue  # deleted, or inside a deleted group
        if data.get(key) == "group":
            node = {"op": data.get(f"{name}-op", "all"), "items": []}
            nodes[path] = node
        else:
            values = [v for v in data.getlist(f"{name}-value") if v.strip()]
            value = values if len(values) > 1 or data.get(f"{name}-multi") else (values[0] if values else "")
            node = {"attr": data.get(f"{name}-attr", ""), "op": data.get(f"{name}-op", ""), "value": value}
        nodes[parent]["items"].append(node)
    return nodes[""]


def default_op(attr_key: str) -> str:
    return rules.OPERATORS_BY_KIND[rules.ATTRIBUTES[attr_key].kind][0]


def region_prefix(code: str) -> str:
    """'430600' → '4306', '430000' → '43', '430621' stays: the prefix every enterprise of the region shares."""
    code = (code or "").strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def region_value(code: str, op: str) -> str:
    """A region picked for ``op``: a prefix for 以…开头, a full six-digit code for 属于/等于."""
    return region_prefix(code) if op == "startswith" else code.ljust(6, "0")[:6]


def region_choices(user, op: str) -> list[tuple[str, str]]:
    """The regions of the FIC tree in the user's scope (their node and every FIC below it)."""
    fics = Organization.objects.filter(kind="fic", path__startswith=builder_scope(user)[0])
    seen: dict[str, str] = {}
    for name, code in fics.order_by("path").values_list("name", "region_code"):
        if code:
            seen.setdefault(region_value(code, op), f"{name.removesuffix('工商联')}（{code}）")
    return list(seen.items())


def chamber_choices(user) -> list[tuple[str, str]]:
    """The chambers in the user's scope."""
    chambers = Organization.objects.filter(kind="chamber", path__startswith=builder_scope(user)[1]).order_by("name")
    return [(str(pk), name) for pk, name in chambers.values_list("pk", "name")]


def industry_label(code: str) -> str:
    entry = industry.lookup(code)
    return f"{code} {entry.name}" if entry else code


def industry_matches(query: str, limit: int = 20) -> list[tuple[str, str]]:
    """GB/T 4754 entries whose code starts with, or whose name contains, the query: (code, "3311 金属结构制造")."""
    query = "".join((query or "").split())
    if not query:
        return []
    code = industry.normalize_code(query)
    found: list[tuple[str, str]] = []
    for level in industry.LEVELS:
        for entry_code in industry.all_codes(level):
            entry = industry.lookup(entry_code)
            if entry_code.startswith(code) or query in entry.name:
                found.append((entry.code, f"{entry.code} {entry.name}"))
                if len(found) >= limit:
                    return found
    return found


def leaf_view(path: str, leaf: dict, user=None, *, posted: bool = False) -> dict:
    """What the template needs to draw one condition row (pickers limited to the user's scope). ``posted``: the
    values come from the request, not a stored rule, so a chamber outside the scope is shown by its id only
    (its name would answer "which organisation has id N" to anyone)."""
    attr = rules.ATTRIBUTES.get(leaf.get("attr") or "region") or rules.ATTRIBUTES["region"]
    ops = rules.OPERATORS_BY_KIND[attr.kind]
    op = leaf.get("op") if leaf.get("op") in ops else ops[0]
    value = leaf.get("value")
    selected = [] if value in (None, "") else [str(v) for v in rules._as_list(value)]
    choices: list[tuple[str, str]] = []
    if attr.kind == "set":
        choices = [(q, q) for q in rules.qualifications()]
    elif attr.kind == "enum":
        choices = list(rules.SIZE_CLASSES.items())
    elif attr.kind == "idset":
        choices = chamber_choices(user)
    elif attr.key == "region":
        choices = region_choices(user, op)
    elif attr.key == "industry":
        choices = [(code, industry_label(code)) for code in selected]
    outside = [v for v in selected if v not in {value for value, _label in choices}]
    if outside and (choices or attr.key == "industry"):
        # Values already in the rule stay shown (and kept) even when outside today's list.
        names = {}
        if not (posted and attr.kind == "idset"):
            names = value_names([{"op": "all", "items": [{"attr": attr.key, "op": op, "value": outside}]}])
        choices += [(v, names.get(attr.key, {}).get(v, v)) for v in outside]
    if attr.kind == "number" and isinstance(value, list):
        text = ",".join(rules._num(v) for v in value)
    elif attr.kind == "number" and value not in (None, ""):
        text = rules._num(value) if isinstance(value, (int, float)) else str(value)
    else:
        text = ",".join(selected)
    return {
        "path": path,
        "dom": path.replace(".", "_"),
        "name": f"{PREFIX}-{path}",
        "kind": "leaf",
        "attr": attr,
        "attributes": [(a.key, a.label) for a in rules.ATTRIBUTES.values()],
        "op": op,
        "operators": [(o, rules.OPERATORS[o]) for o in ops],
        "choices": choices,
        "is_industry": attr.key == "industry",
        "selected": selected,
        "text": text,
        "is_bool": attr.kind == "bool",
        "bool_value": "true" if value in (True, "true", "是") else "false",
        "placeholder": _("下限,上限") if op == "between" else "",
    }


def tree_view(rule: dict | None, path: str = "", user=None) -> dict:
    """The whole stored rule as nested view dicts for the recursive template."""
    rule = rule or {"op": "all", "items": []}
    if not rules.is_group(rule):
        return leaf_view(path, rule, user)
    children = []
    for item in rule.get("items", []):
        child_path = f"{path}.{new_id()}" if path else new_id()
        children.append(tree_view(item, child_path, user))
    return {
        "path": path,
        "dom": path.replace(".", "_") or "root",
        "depth": path.count(".") + 1 if path else 0,
        "name": f"{PREFIX}-{path}" if path else PREFIX,
        "kind": "group",
        "op": rule.get("op", "all"),
        "group_ops": list(rules.GROUP_OPS.items()),
        "children": children,
    }


class RuleBuilderWidget(forms.Widget):
    """Draws the rule as builder rows (pickers in the user's scope) and reads it back from the posted rows."""

    template_name = "policies/partials/_rule_builder.html"
    use_fieldset = True
    block_level = True  # core's forms/p.html draws it outside a <p> (a fieldset cannot sit in one)

    def __init__(self, attrs=None, user=None):
        super().__init__(attrs)
        self.user = user

    def value_from_datadict(self, data, files, name):
        return parse_rule(data)

    def value_omitted_from_data(self, data, files, name):
        return False

    def id_for_label(self, id_):
        return ""  # the legend names the whole builder; no single control to point at

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["tree"] = tree_view(value if isinstance(value, dict) else None, user=self.user)
        return context


class RuleField(forms.Field):
    """A rule built with the rule builder, checked by the engine's own rules.normalize (the same check the
    actions make for the API); a refusal is shown on the field as "目标对象：条件项……"."""

    widget = RuleBuilderWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def for_user(self, user) -> RuleField:
        """Scope the pickers to ``user`` (call on the form's own copy of the field)."""
        self.widget.user = user
        return self

    def clean(self, value):
        try:
            return rules.normalize(value if isinstance(value, dict) else {})
        except rules.RuleError as exc:
            raise forms.ValidationError(str(exc)) from None
