"""The appeal's contact phone is sealed at rest (issue 11 §3); pages and actions see the plain number."""

import pytest
from django.db import connection

from qinqing.appeals.models import Appeal


@pytest.mark.django_db
def test_given_an_appeal_with_a_contact_phone_then_the_column_is_sealed(make_appeal):
    appeal = make_appeal(contact_name="张三", contact_phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM appeals_appeal WHERE id = %s", [appeal.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4:") and "13912345678" not in stored
    assert Appeal.objects.get(pk=appeal.pk).contact_phone == "13912345678"
