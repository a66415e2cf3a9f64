"""A credit code typed in lower case is accepted, stored in upper case, and the user is told (issue 10)."""

import pytest

from qinqing.registry.models import Enterprise

pytestmark = pytest.mark.django_db
LOWER = "9144030071526726xg"


def test_given_lowercase_code_when_registering_on_the_form_then_stored_upper_with_a_note(users, client):
    client.force_login(users.county_staff)
    response = client.post(
        "/registry/enterprises/new/", {"credit_code": LOWER, "name": "深圳小写代码有限公司"}, follow=True
    )
    enterprise = Enterprise.objects.get(name="深圳小写代码有限公司")
    assert enterprise.credit_code == LOWER.upper()
    html = response.content.decode()
    assert "已将小写字母转为大写" in html and LOWER.upper() in html


def test_given_lowercase_code_when_adding_a_member_then_enterprise_found_and_note_shown(tree, users, client):
    code = tree.ent_a.credit_code
    client.force_login(users.county_staff)
    response = client.post(
        "/registry/members/new/",
        {
            "kind": "enterprise",
            "organization": tree.county_a.pk,
            "credit_code": code.lower(),
            "joined_on": "2024-01-01",
            "role": "member",
        },
        follow=True,
    )
    html = response.content.decode()
    assert tree.ent_a.memberships.filter(organization=tree.county_a).exists(), html[:3000]
    if code.lower() != code:
        assert "已将小写字母转为大写" in html
