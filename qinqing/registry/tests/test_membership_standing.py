"""会员身份 from one rule (issue 10): the enterprise page and 我的政策 agree, for the enterprise's own user too."""

import datetime

import pytest

from qinqing.eligibility.attributes import enterprise_attrs
from qinqing.registry.membership import standing
from qinqing.registry.models import Enterprise, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_member(tree):
    """ent_a is a member of the city FIC (above its county), since last year."""
    return Member.objects.create(
        organization=tree.city,
        org_path=tree.city.path,
        kind="enterprise",
        enterprise=tree.ent_a,
        joined_on=datetime.date.today() - datetime.timedelta(days=365),
    )


def test_given_city_membership_when_enterprise_user_opens_own_page_then_member_as_in_my_policies(
    city_member, tree, users, client
):
    attrs = enterprise_attrs(Enterprise.objects.get(pk=tree.ent_a.pk))
    assert attrs["member"] is True and standing(tree.ent_a.pk).member
    client.force_login(users.enterprise)
    html = client.get(f"/registry/enterprises/{tree.ent_a.pk}/").content.decode()
    assert "工商联会员：<strong>是</strong>" in html and tree.city.name in html
    assert "不是会员" not in html


def test_given_membership_ended_when_read_then_both_say_not_member(city_member, tree, users, client):
    Member.objects.filter(pk=city_member.pk).update(left_on=datetime.date.today())
    assert enterprise_attrs(Enterprise.objects.get(pk=tree.ent_a.pk))["member"] is False
    assert standing(tree.ent_a.pk).member is False
    client.force_login(users.city_staff)
    html = client.get(f"/registry/enterprises/{tree.ent_a.pk}/").content.decode()
    assert "工商联会员：<strong>否</strong>" in html
