"""Blind indexes: plain b-tree indexes where lookups use them (contacts, members), none on the enterprise's.

Databases migrated with the first version of 0005 got an index on every blind-index column, and on
PostgreSQL a useless varchar_pattern_ops "_like" twin; they are dropped here (no-op on new databases).
"""

from django.db import migrations, models

OLD = [
    ("registry_enterprise", "legal_rep_id_number_bidx"),
    ("registry_enterprise", "contact_mobile_bidx"),
    ("registry_enterprisecontact", "mobile_bidx"),
    ("registry_enterprisecontact", "id_number_bidx"),
    ("registry_member", "id_number_bidx"),
    ("registry_member", "mobile_bidx"),
]


def drop_old_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column in OLD:
        name = schema_editor._create_index_name(table, [column])
        for index in (name, f"{name}_like"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(index)}")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("registry", "0006_enterprise_provisional"),
    ]

    operations = [
        migrations.RunPython(drop_old_indexes, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="enterprisecontact",
            index=models.Index(fields=["mobile_bidx"], name="registry_en_mobile__187c3d_idx"),
        ),
        migrations.AddIndex(
            model_name="enterprisecontact",
            index=models.Index(fields=["id_number_bidx"], name="registry_en_id_numb_13d4e1_idx"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["id_number_bidx"], name="registry_me_id_numb_d0f924_idx"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["mobile_bidx"], name="registry_me_mobile__2ee626_idx"),
        ),
    ]
