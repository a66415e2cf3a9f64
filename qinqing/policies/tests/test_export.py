"""The eligible-enterprises Excel export: mobile numbers masked unless the user holds registry.view_pii."""

import io

import openpyxl
import pytest
from django.urls import reverse

from qinqing.core.models import AuditEntry
from qinqing.policies import matching
from qinqing.registry.models import Enterprise

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"


@pytest.fixture
def eligible(firms, make_policy):
    Enterprise.objects.filter(pk=firms.ent_a.pk).update(contact_name="张三", contact_mobile=MOBILE)
    policy = make_policy()
    matching.run_matching(firms.city.path)
    return policy


def _export(client, policy) -> list[str]:
    response = client.get(reverse("policies:matching_detail", args=[policy.pk]), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[4]]
    column = header.index("联系电话")
    return [row[column] for row in sheet.iter_rows(min_row=5, values_only=True)]


def test_given_staff_without_view_pii_when_exporting_then_mobiles_masked_and_audit_says_so(login, users, eligible):
    assert not users.city_staff.has_perm("registry.view_pii")
    mobiles = _export(login(users.city_staff), eligible)
    assert mobiles == ["138****5678"]
    entry = AuditEntry.objects.get(action="policies.export_eligible")
    assert entry.after == {"rows": 1, "unmasked": False}


def test_given_leader_with_view_pii_when_exporting_then_full_mobiles_and_audit_records_unmasking(
    login, users, eligible
):
    assert users.leader.has_perm("registry.view_pii")
    mobiles = _export(login(users.leader), eligible)
    assert mobiles == [MOBILE]
    entry = AuditEntry.objects.get(action="policies.export_eligible")
    assert entry.after == {"rows": 1, "unmasked": True} and entry.actor_id == users.leader.pk
