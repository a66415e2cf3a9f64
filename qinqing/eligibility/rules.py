"""Eligibility rules: vocabulary, validation, explanation for one enterprise, vectorised evaluation for all.

Pure module: no ORM. A rule is a JSON tree stored on the policy:

    {"op": "all", "items": [
        {"attr": "employees", "op": "ge", "value": 10},
        {"op": "any", "items": [{"attr": "qualifications", "op": "has_any", "value": ["高新技术企业"]}, …]},
    ]}

Logic is three-valued (Kleene): a leaf is met (True), not met (False) or unknown (None, the enterprise's
datum is missing). ``all`` is False if any item is False, else unknown if any is unknown, else True; ``any``
is True if any item is True, else unknown if any is unknown, else False. Polars' boolean ``&``/``|`` follow
the same Kleene logic on nulls, which is why :func:`explain` and :func:`evaluate_all` agree by construction
(and a property-based test checks it).

Verdicts for one enterprise (see :class:`Explanation`):
- ``eligible``: the root is met;
- ``near_miss``: the root is not met, and turning one single not-met leaf into met would make the root met
  (every such leaf is listed as the "missing condition");
- ``unknown``: the root is unknown (data missing), it cannot be decided;
- ``not_eligible``: the root is not met and no single leaf would change that.

The rule engine lives in three modules, re-exported here so callers keep using ``rules.<name>``:
``vocabulary`` (attributes, operators, validation), ``explain`` (one enterprise) and ``evaluation`` (all
enterprises at once, in Polars).
"""

from __future__ import annotations

from . import vocabulary
from .evaluation import (
    CODED,
    FRAME_SCHEMA,
    _leaf_expr,
    encode_codes,
    evaluate_all,
    frame_from_records,
    frame_row_attrs,
    qualification_mask,
    to_expr,
)
from .explain import (
    VERDICTS,
    Explanation,
    LeafResult,
    Names,
    _code_startswith,
    _code_text,
    _combine,
    _missing,
    _num,
    describe_leaf,
    describe_tree,
    describe_value,
    evaluate,
    evaluate_leaf,
    explain,
    verdict,
)
from .vocabulary import (
    _SECTIONS,
    ATTRIBUTES,
    GROUP_OPS,
    OPERATORS,
    OPERATORS_BY_KIND,
    SECTION_NAMES,
    SIZE_CLASSES,
    Attribute,
    RuleError,
    _as_list,
    is_group,
    leaves,
    normalize,
    normalize_industry,
    normalize_leaf,
    qualification_bits,
    qualifications,
)

__all__ = [
    "ATTRIBUTES",
    "CODED",
    "FRAME_SCHEMA",
    "GROUP_OPS",
    "OPERATORS",
    "OPERATORS_BY_KIND",
    "SECTION_NAMES",
    "SIZE_CLASSES",
    "VERDICTS",
    "_SECTIONS",
    "Attribute",
    "Explanation",
    "LeafResult",
    "Names",
    "RuleError",
    "_as_list",
    "_code_startswith",
    "_code_text",
    "_combine",
    "_leaf_expr",
    "_missing",
    "_num",
    "describe_leaf",
    "describe_tree",
    "describe_value",
    "encode_codes",
    "evaluate",
    "evaluate_all",
    "evaluate_leaf",
    "explain",
    "frame_from_records",
    "frame_row_attrs",
    "is_group",
    "leaves",
    "normalize",
    "normalize_industry",
    "normalize_leaf",
    "qualification_bits",
    "qualification_mask",
    "qualifications",
    "to_expr",
    "verdict",
]


def __getattr__(name: str):  # rules.QUALIFICATIONS / rules.QUALIFICATION_BITS, computed on first use
    return vocabulary.__getattr__(name)
