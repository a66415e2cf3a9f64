"""Scores and values on the diagnosis page: numbers, Decimals and the text a stored result's JSON gives back."""

from decimal import Decimal

from qinqing.health.templatetags.health import indicator, score


def test_given_numbers_text_or_nothing_when_displayed_then_formatted_or_a_dash():
    assert score(72.46) == score("72.46") == score(Decimal("72.46")) == "72.5"
    assert indicator("1234.5") == indicator(1234.5) == "1,234.50"
    assert score(None) == score("") == score("无") == indicator(None) == "—"
