"""The appeal's contact phone sealed with SM4-GCM at rest (issue 11 §3); reversible."""

from django.db import migrations

import qinqing.core.crypto.fields
from qinqing.core.crypto import columns

PHONE = columns.SealedColumn("appeals_appeal", "contact_phone")


def seal_existing(apps, schema_editor):
    columns.seal_plain(PHONE, schema_editor.connection)


def open_existing(apps, schema_editor):
    columns.open_sealed(PHONE, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0007_appeal_provisional_dues"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appeal",
            name="contact_phone",
            field=qinqing.core.crypto.fields.EncryptedCharField(blank=True, max_length=30, verbose_name="联系电话"),
        ),
        migrations.RunPython(seal_existing, open_existing),
    ]
