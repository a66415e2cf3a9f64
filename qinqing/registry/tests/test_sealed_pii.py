"""Personal numbers sealed at rest (issue 11 §3): the columns hold SM4-GCM ciphertext, the application
sees plain values, lookups and duplicate checks go through the blind index, the import compares blind
indexes, and the data migration seals existing rows and opens them again."""

import datetime
import importlib

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection

from qinqing.core import crypto
from qinqing.registry import actions
from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Enterprise, EnterpriseContact, Member

from .conftest import enterprise_row, make_code

ID = "430621199001011234"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_given_contact_saved_then_column_sealed_and_model_reads_plain(tree, users):
    contact = actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四", mobile="13912345678", id_number=ID)
    stored = _raw("registry_enterprisecontact", "mobile", contact.pk)
    assert stored.startswith("sm4:t1:") and "13912345678" not in stored
    assert ID not in _raw("registry_enterprisecontact", "id_number", contact.pk)
    again = EnterpriseContact.objects.get(pk=contact.pk)
    assert (again.mobile, again.id_number) == ("13912345678", ID)
    assert list(EnterpriseContact.objects.filter(pk=contact.pk).values_list("mobile", flat=True)) == ["13912345678"]
    # found by value through the blind index, never by scanning ciphertext
    assert EnterpriseContact.objects.filter(mobile="13912345678").get() == contact
    assert EnterpriseContact.objects.filter(id_number__in=[ID, "x"]).count() == 1
    assert not EnterpriseContact.objects.filter(mobile="13912345679").exists()
    with pytest.raises(FieldError):
        list(EnterpriseContact.objects.filter(mobile__startswith="139"))


@pytest.mark.django_db
def test_given_number_changed_with_update_fields_then_blind_index_follows(tree, users):
    contact = actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四", mobile="13912345678")
    actions.update_contact(contact, actor=users.county_staff, mobile="13700001111")
    assert EnterpriseContact.objects.filter(mobile="13700001111").exists()
    assert not EnterpriseContact.objects.filter(mobile="13912345678").exists()


@pytest.mark.django_db
def test_given_individual_member_then_duplicate_id_refused_through_blind_index(tree, users):
    day = datetime.date(2025, 1, 1)
    actions.add_member(
        actor=users.county_staff, organization=tree.county_a, kind="individual", joined_on=day,
        person_name="王五", id_number=ID, mobile="13912345678",
    )  # fmt: skip
    member = Member.objects.get(person_name="王五")
    assert _raw("registry_member", "id_number", member.pk).startswith("sm4:")
    with pytest.raises(ValidationError) as exc:
        actions.add_member(
            actor=users.county_staff, organization=tree.county_a, kind="individual", joined_on=day,
            person_name="王五", id_number=ID,
        )  # fmt: skip
    assert "此人已是个人会员" in str(exc.value)


@pytest.mark.django_db
def test_given_import_then_numbers_sealed_and_rerun_unchanged_and_change_detected(tree, csv_file):
    path = csv_file([enterprise_row(i) for i in range(1, 4)])
    assert run_import("enterprises", path, org=tree.county_a, dry_run=False).new == 3
    ent = Enterprise.objects.get(credit_code=make_code(1))
    raw = _raw("registry_enterprise", "contact_mobile", ent.pk)
    assert raw.startswith("sm4:") and ent.contact_mobile == "13800138000"
    assert ent.contact_mobile_bidx == crypto.blind_index("13800138000")
    # the same file again: equal blind indexes, nothing rewritten (ciphertexts would differ every time)
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert _raw("registry_enterprise", "contact_mobile", ent.pk) == raw
    # a masked number keeps the stored one; a new number is a change
    rows = [enterprise_row(1, **{"联系人手机": "138****8000"}), enterprise_row(2, **{"联系人手机": "13700001111"})]
    report = run_import("enterprises", csv_file(rows, name="b.csv"), org=tree.county_a, dry_run=False)
    assert (report.updated, report.unchanged) == (1, 1)
    assert Enterprise.objects.get(credit_code=make_code(1)).contact_mobile == "13800138000"
    assert Enterprise.objects.filter(contact_mobile="13700001111").get().credit_code == make_code(2)


@pytest.mark.django_db
def test_given_plain_rows_then_data_migration_seals_them_and_reverse_opens_them(tree):
    migration = importlib.import_module("qinqing.registry.migrations.0005_sealed_personal_numbers")
    with connection.cursor() as cursor:  # as the rows were before the migration: plain text, no index
        cursor.execute(
            "UPDATE registry_enterprise SET contact_mobile = %s, contact_mobile_bidx = '' WHERE id = %s",
            ["13912345678", tree.ent_a.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.seal_existing(None, editor)
    assert _raw("registry_enterprise", "contact_mobile", tree.ent_a.pk).startswith("sm4:t1:")
    assert Enterprise.objects.filter(contact_mobile="13912345678").get() == tree.ent_a
    migration.seal_existing(None, editor)  # idempotent: sealed values are left alone
    assert Enterprise.objects.get(pk=tree.ent_a.pk).contact_mobile == "13912345678"
    migration.open_existing(None, editor)
    assert _raw("registry_enterprise", "contact_mobile", tree.ent_a.pk) == "13912345678"
    assert _raw("registry_enterprise", "contact_mobile_bidx", tree.ent_a.pk) == ""


@pytest.mark.django_db
def test_given_changed_ciphertext_then_reading_fails_instead_of_showing_another_number(tree, users):
    contact = actions.add_contact(tree.ent_a, actor=users.county_staff, name="李四", mobile="13912345678")
    raw = _raw("registry_enterprisecontact", "mobile", contact.pk)
    forged = raw[:-6] + ("A" if raw[-6] != "A" else "B") + raw[-5:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_enterprisecontact SET mobile = %s WHERE id = %s", [forged, contact.pk])
    with pytest.raises(crypto.DecryptionError):
        EnterpriseContact.objects.get(pk=contact.pk)
