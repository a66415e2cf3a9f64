"""Every unmasking and every export leaves an audit row (SECURITY.md: field-level access, audit)."""

import pytest

from qinqing.core.models import AuditEntry
from qinqing.registry import actions

from .conftest import make_code

ID = "430621199001011234"
MOBILE = "13912345678"


@pytest.fixture
def ent(tree, users):
    return actions.create_enterprise(
        actor=users.county_staff,
        fic=tree.county_a,
        credit_code=make_code(7),
        name="岳阳县隐私测试有限公司",
        legal_rep_id_number=ID,
        contact_mobile=MOBILE,
    )


def test_given_pii_holder_when_reading_api_then_full_numbers_and_one_audit_row_per_response(ent, users, login):
    client = login(users.leader)

    page = client.get("/api/v1/registry/enterprises/").json()
    detail = client.get(f"/api/v1/registry/enterprises/{ent.pk}/").json()

    assert detail["legal_rep_id_number"] == ID
    assert any(item["contact_mobile"] == MOBILE for item in page["results"])
    rows = list(AuditEntry.objects.filter(action="registry.reveal_pii").order_by("id"))
    assert len(rows) == 2 and rows[0].after == {"ids": [ent.pk], "channel": "API"}


def test_given_staff_when_reading_api_then_masked_and_nothing_revealed(ent, users, login):
    data = login(users.county_staff).get(f"/api/v1/registry/enterprises/{ent.pk}/").json()
    assert data["legal_rep_id_number"] == "430621********1234"
    assert not AuditEntry.objects.filter(action="registry.reveal_pii").exists()


def test_given_exports_then_audited_with_rows_filters_and_whether_unmasked(ent, users, login):
    login(users.county_staff).get("/registry/enterprises/?q=隐私&export=csv")
    response = login(users.leader).get("/registry/enterprises/?export=csv")

    assert MOBILE in response.content.decode("utf-8-sig")
    staff_row, leader_row = AuditEntry.objects.filter(action="registry.export").order_by("id")
    assert staff_row.after == {"kind": "enterprises", "rows": 1, "format": "csv", "filters": "q=%E9%9A%90%E7%A7%81",
                               "unmasked": False}  # fmt: skip
    assert leader_row.after["unmasked"] is True and leader_row.actor == users.leader


def test_given_member_reveal_then_audited_and_staff_refused(tree, users, login):
    member = actions.add_member(
        actor=users.county_staff, organization=tree.county_a, kind="individual", person_name="张三",
        mobile=MOBILE, joined_on=tree.ent_a.created_at.date(),
    )  # fmt: skip
    body = login(users.leader).get(f"/registry/members/{member.pk}/").content.decode()
    assert MOBILE not in body and "139****5678" in body

    assert login(users.leader).post(f"/registry/members/{member.pk}/reveal/mobile/").content.decode() == MOBILE
    assert login(users.county_staff).post(f"/registry/members/{member.pk}/reveal/mobile/").status_code == 403
    assert login(users.leader).get(f"/registry/members/{member.pk}/reveal/mobile/").status_code == 405
    assert AuditEntry.objects.filter(action="registry.reveal_pii", object_id=str(member.pk)).count() == 1
