"""The home page's parts drawn without template loops and per-request lookups give the same HTML as before."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from qinqing.core import home
from qinqing.core.roles import Role
from qinqing.core.templatetags.home_page import home_cards

# What core/partials/_card.html drew for one card (one include per card, before the home_cards tag).
PARTIAL = Template(
    '<div class="card">{% if card.url %}<a href="{{ card.url }}">{% endif %}<div class="num">{{ card.value }}</div>'
    '<div class="label">{{ card.label }}</div>{% if card.url %}</a>{% endif %}</div>\n'
)


def test_given_cards_when_drawn_by_the_tag_then_the_html_is_the_partials_byte_for_byte():
    # Given cards with and without a link, a large number and a label needing escaping
    cards = [
        {"label": "在册会员", "value": 17215, "url": "/registry/members/?status=active&x=1"},
        {"label": "<b>未读</b>", "value": 0, "url": ""},
        {"label": "承办单位", "value": "3/5"},
        {"label": gettext_lazy("Home & <away>"), "value": 1.5, "url": mark_safe("/a/?b=1&amp;c=2")},
        {"label": mark_safe("<em>safe</em>"), "value": -3},
    ]
    # When the tag draws them
    html = home_cards(cards)
    # Then it is what the include drew for each, in turn
    assert html == "".join(PARTIAL.render(Context({"card": card})) for card in cards)
    assert "&lt;b&gt;" in html and "&amp;x=1" in html and "Home &amp; &lt;away&gt;" in html
    assert "<em>safe</em>" in html and "b=1&amp;c=2" in html


def test_given_no_cards_then_nothing_is_drawn():
    assert home_cards([]) == ""


@pytest.mark.parametrize("role", Role.values)
def test_given_each_role_then_its_label_is_get_role_display(role):
    from qinqing.accounts.models import User

    assert home.role_label(role) == User(role=role).get_role_display()


def test_given_an_unknown_role_then_the_label_is_the_stored_value_as_get_role_display_shows():
    from qinqing.accounts.models import User

    assert home.role_label("retired") == User(role="retired").get_role_display() == "retired"


def test_given_the_card_sources_looked_up_once_then_a_repeat_lookup_imports_nothing(monkeypatch):
    # Given the sources looked up afresh
    calls = []
    real = home.domain_modules
    monkeypatch.setattr(home, "domain_modules", lambda name: calls.append(name) or real(name))
    home._domain_sources.cache_clear()
    first = home.domain_sources()
    # When they are asked for again (every home view asks)
    second = home.domain_sources()
    # Then the domains' navigation modules were looked up once, and the answer is the same
    assert calls == ["navigation"]
    assert [s.name for s in first] == [s.name for s in second] and first
    second.clear()  # a caller changing its list changes no other caller's
    assert home.domain_sources() == first
