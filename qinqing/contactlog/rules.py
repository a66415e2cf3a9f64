"""The negative list's flagging rules, on plain data (no ORM): which conduct a contact entry shows.

A negative-list item (ConductItem) names one rule by its key; the rule looks at the entry's facts and, when the
conduct is present, says why in Chinese. An item may carry a threshold (the per-person meal standard in 元, or the
value in 元 above which a kept gift counts); items without a rule are on the list for reference only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ENTERPRISE = "enterprise"  # the value of Payer / Vehicle / Venue meaning "the enterprise's"
PRIVATE_CLUB = "private_club"


@dataclass(frozen=True)
class GiftFact:
    description: str
    value: Decimal
    returned: bool


@dataclass(frozen=True)
class ContactFacts:
    """What an entry says happened, as plain values."""

    had_meal: bool = False
    meal_standard: Decimal | None = None  # 元 per person
    meal_paid_by: str = ""
    vehicle: str = ""
    venue: str = ""
    costs_paid_by: str = ""
    enterprise_celebration: bool = False
    involves_bidding: bool = False
    gifts: tuple[GiftFact, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ItemRule:
    """One active negative-list item as the rules see it."""

    code: str
    name: str
    rule: str
    threshold: Decimal | None = None


@dataclass(frozen=True)
class Flag:
    code: str  # the item's code
    name: str  # the item's name
    reason: str  # why this entry matched, in Chinese

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "reason": self.reason}


def _money(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _gift_kept(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    floor = threshold if threshold is not None else Decimal(0)  # a kept gift of no value (a brochure) is no gift
    kept = [g for g in facts.gifts if not g.returned and g.value > floor]
    if not kept:
        return None
    total = sum((g.value for g in kept), Decimal(0))
    names = "、".join(g.description for g in kept)
    return _("收受礼品礼金未退还：%(names)s（合计 %(total)s 元）") % {"names": names, "total": _money(total)}


def _meal_by_enterprise(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    if facts.had_meal and facts.meal_paid_by == ENTERPRISE:
        return _("接受企业安排并支付的用餐")
    return None


def _meal_over_standard(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    if not facts.had_meal or facts.meal_standard is None or threshold is None:
        return None
    if facts.meal_standard > threshold:
        return _("用餐标准 %(standard)s 元/人，超过 %(limit)s 元/人") % {
            "standard": _money(facts.meal_standard),
            "limit": _money(threshold),
        }
    return None


def _private_club(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    return _("接触地点为私人会所") if facts.venue == PRIVATE_CLUB else None


def _celebration(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    return _("出席企业庆典活动") if facts.enterprise_celebration else None


def _bidding(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    return _("接触中涉及企业参与的招标、采购事项") if facts.involves_bidding else None


def _cost_by_enterprise(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    return _("接触产生的费用由企业承担") if facts.costs_paid_by == ENTERPRISE else None


def _enterprise_vehicle(facts: ContactFacts, threshold: Decimal | None) -> str | None:
    return _("乘坐企业提供的车辆") if facts.vehicle == ENTERPRISE else None


Rule = Callable[[ContactFacts, Decimal | None], str | None]

# key -> (label shown when maintaining the list, the rule). The keys are stored on ConductItem.rule.
RULES: dict[str, tuple[object, Rule]] = {
    "gift_kept": (gettext_lazy("收受礼品礼金未退还（门槛：单件价值，元）"), _gift_kept),
    "meal_by_enterprise": (gettext_lazy("企业支付的用餐"), _meal_by_enterprise),
    "meal_over_standard": (gettext_lazy("用餐超标准（门槛：元/人）"), _meal_over_standard),
    "private_club": (gettext_lazy("地点为私人会所"), _private_club),
    "enterprise_celebration": (gettext_lazy("出席企业庆典"), _celebration),
    "bidding": (gettext_lazy("涉及招投标、采购事项"), _bidding),
    "cost_by_enterprise": (gettext_lazy("费用由企业承担"), _cost_by_enterprise),
    "enterprise_vehicle": (gettext_lazy("乘坐企业车辆"), _enterprise_vehicle),
}


def rule_choices() -> list[tuple[str, object]]:
    return [("", gettext_lazy("（不自动标记，仅供对照）")), *((key, label) for key, (label, _rule) in RULES.items())]


def flags(facts: ContactFacts, items: Iterable[ItemRule]) -> list[Flag]:
    """The negative-list items this entry matches, in the list's order; an unknown rule key matches nothing."""
    out = []
    for item in items:
        entry = RULES.get(item.rule)
        if entry is None:
            continue
        reason = entry[1](facts, item.threshold)
        if reason:
            out.append(Flag(item.code, item.name, reason))
    return out
