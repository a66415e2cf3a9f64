"""The home page reads a few indexed rows once its cards are counted, and counts afresh after an audited change."""

import pytest
from django.urls import reverse

# Session, user, organisation, unread notifications, newest audit id, the cached cards, and the session's save
# (savepoint, update, release): the domain counts are not run again.
HOME_QUERIES = 10


@pytest.mark.parametrize("who", ["city_staff", "leader", "county_staff", "liaison", "enterprise", "banker"])
def test_given_cards_counted_once_when_the_home_page_is_read_again_then_a_few_queries_suffice(
    who, users, login, django_assert_max_num_queries
):
    # Given a user whose home page was shown once
    client = login(getattr(users, who))
    assert client.get(reverse("core:home")).status_code == 200
    # When the page is read again
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("core:home"))
    # Then it answers with the same cards from a handful of reads
    assert response.status_code == 200


def test_given_an_audited_change_when_the_home_page_is_read_then_its_cards_are_counted_afresh(
    users, tree, login, make_enterprise_appeal
):
    # Given the county staff's home page showing its open appeals
    client = login(users.county_staff)
    before = _cards(client)
    # When an appeal is registered (an audited action) and the page is read again
    make_enterprise_appeal()
    after = _cards(client)
    # Then the appeals card counts it
    changed = {label for label in after if after[label] != before.get(label)}
    assert changed, (before, after)


def _cards(client) -> dict:
    response = client.get(reverse("core:home"))
    cards = list(response.context["cards"])
    return {str(c["label"]): c["value"] for c in cards}


@pytest.fixture
def make_enterprise_appeal(users, tree):
    from qinqing.appeals import actions
    from qinqing.appeals.models import AppealDomain, AppealType

    def make():
        return actions.register_appeal(
            actor=users.enterprise,
            enterprise=tree.ent_a,
            appeal_type=AppealType.objects.get(code="consult"),
            domain=AppealDomain.objects.get(code="finance"),
            title="贷款审批慢",
            description="贷款申请提交三个月仍未审批",
        )

    return make
