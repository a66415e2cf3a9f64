"""The negative list's pure flagging rules."""

from decimal import Decimal

from qinqing.contactlog.rules import RULES, ContactFacts, GiftFact, ItemRule, flags

ITEMS = [
    ItemRule("gifts", "礼品礼金", "gift_kept"),
    ItemRule("banquet", "宴请", "meal_by_enterprise"),
    ItemRule("meal_standard", "超标准用餐", "meal_over_standard", Decimal("120")),
    ItemRule("club", "私人会所", "private_club"),
    ItemRule("celebration", "企业庆典", "enterprise_celebration"),
    ItemRule("bidding", "干预招投标", "bidding"),
    ItemRule("cost", "费用由企业承担", "cost_by_enterprise"),
    ItemRule("car", "使用企业车辆", "enterprise_vehicle"),
]


def codes(facts, items=ITEMS):
    return [f.code for f in flags(facts, items)]


def test_given_a_clean_visit_when_flagging_then_nothing_matches():
    facts = ContactFacts(had_meal=True, meal_standard=Decimal("60"), meal_paid_by="own_unit", vehicle="official",
                         venue="enterprise", costs_paid_by="none",
                         gifts=(GiftFact("纪念册", Decimal("50"), True),))  # fmt: skip
    assert codes(facts) == []


def test_given_a_gift_kept_when_flagging_then_the_gift_item_names_it_and_the_total():
    facts = ContactFacts(gifts=(GiftFact("茶叶", Decimal("800"), False), GiftFact("购物卡", Decimal("1000"), False),
                                GiftFact("纪念册", Decimal("50"), True)))  # fmt: skip
    (flag,) = flags(facts, ITEMS)
    assert flag.code == "gifts"
    assert "茶叶、购物卡" in flag.reason and "1800.00" in flag.reason and "纪念册" not in flag.reason


def test_given_a_kept_item_of_no_value_when_flagging_then_it_is_no_gift():
    assert codes(ContactFacts(gifts=(GiftFact("宣传册", Decimal("0"), False),))) == []


def test_given_a_gift_threshold_when_a_cheap_gift_is_kept_then_it_is_not_flagged():
    items = [ItemRule("gifts", "礼品礼金", "gift_kept", Decimal("100"))]
    assert codes(ContactFacts(gifts=(GiftFact("矿泉水", Decimal("10"), False),)), items) == []
    assert codes(ContactFacts(gifts=(GiftFact("白酒", Decimal("600"), False),)), items) == ["gifts"]


def test_given_a_meal_paid_by_the_enterprise_over_the_standard_when_flagging_then_both_items_match():
    facts = ContactFacts(had_meal=True, meal_standard=Decimal("300"), meal_paid_by="enterprise")
    assert codes(facts) == ["banquet", "meal_standard"]
    assert "300.00" in flags(facts, ITEMS)[1].reason and "120.00" in flags(facts, ITEMS)[1].reason


def test_given_a_meal_at_the_standard_when_flagging_then_it_is_allowed():
    facts = ContactFacts(had_meal=True, meal_standard=Decimal("120"), meal_paid_by="own_unit")
    assert codes(facts) == []


def test_given_no_meal_when_a_standard_is_left_over_then_nothing_matches():
    assert codes(ContactFacts(had_meal=False, meal_standard=Decimal("999"), meal_paid_by="enterprise")) == []


def test_given_each_venue_vehicle_and_cost_fact_when_flagging_then_its_own_item_matches():
    assert codes(ContactFacts(venue="private_club")) == ["club"]
    assert codes(ContactFacts(enterprise_celebration=True)) == ["celebration"]
    assert codes(ContactFacts(involves_bidding=True)) == ["bidding"]
    assert codes(ContactFacts(costs_paid_by="enterprise")) == ["cost"]
    assert codes(ContactFacts(vehicle="enterprise")) == ["car"]


def test_given_items_without_a_known_rule_when_flagging_then_they_never_match():
    items = [ItemRule("levies", "乱摊派", ""), ItemRule("x", "未知", "no_such_rule")]
    assert codes(ContactFacts(venue="private_club", costs_paid_by="enterprise"), items) == []


def test_given_the_list_order_when_several_match_then_flags_follow_the_list():
    facts = ContactFacts(vehicle="enterprise", venue="private_club")
    assert codes(facts, list(reversed(ITEMS))) == ["car", "club"]


def test_given_the_rule_table_when_listed_then_every_seeded_rule_key_exists():
    from importlib import import_module

    seeded = import_module("qinqing.contactlog.migrations.0002_negative_list").DEFAULT_ITEMS
    assert {rule for _c, _n, _d, rule, _t in seeded if rule} <= set(RULES)
