"""Target audience of an activity: a rule of the shared eligibility engine (qinqing.eligibility), the same rule
builder as policies and bank products. An empty rule means every enterprise."""

from __future__ import annotations

from qinqing.eligibility import rules
from qinqing.eligibility.attributes import enterprise_attrs, read_frame

EMPTY = {"op": "all", "items": []}


def has_rule(rule: dict | None) -> bool:
    return bool(rule) and bool(rules.leaves(rule))


def explain(activity, enterprise) -> rules.Explanation | None:
    """Why the enterprise is (not) in the activity's audience; None when the activity targets everyone."""
    if not has_rule(activity.audience):
        return None
    from qinqing.policies.labels import value_names

    return rules.explain(activity.audience, enterprise_attrs(enterprise), value_names([activity.audience]))


def describe(activity) -> dict | None:
    """The rule as a tree of sentences for the detail page (None: everyone)."""
    if not has_rule(activity.audience):
        return None
    from qinqing.policies.labels import value_names

    return rules.describe_tree(activity.audience, value_names([activity.audience]))


def selecting_rule(activity) -> dict:
    """The rule the audience is selected by. A chamber's activity is shown to the chamber's own members only
    (permissions._enterprise_activities_q), so its audience is the members that meet the rule: nobody is
    invited to a page they cannot open."""
    rule = activity.audience if has_rule(activity.audience) else EMPTY
    if activity.organiser.kind != "chamber":
        return rule
    member = {"attr": "chambers", "op": "has_any", "value": [activity.organiser_id]}
    return rules.normalize({"op": "all", "items": [rule, member]})


def eligible_ids(activity) -> list[int]:
    """The enterprises under the organiser's FIC that meet the rule (one vectorised pass); for a chamber's
    activity, those of them that are its members."""
    frame = read_frame(activity.organiser.fic().path)
    if frame.is_empty():
        return []
    return rules.evaluate_all({0: selecting_rule(activity)}, frame)[0].to_list()


def reach(activity) -> int:
    """How many enterprises under the organiser's FIC meet the rule."""
    return len(eligible_ids(activity))
