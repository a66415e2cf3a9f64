"""Personal numbers sealed with SM4-GCM at rest, with blind indexes (issue 11 §3).

The columns are widened and the blind index columns added, then every existing value is sealed under
the current data key (keys from QINQING_KEY_FILE / QINQING_DATA_KEYS, see docs/deployment.md: configure
them before migrating). Reversible: migrating back to 0004 opens every value again.
"""

from django.db import migrations

import qinqing.core.crypto.fields
from qinqing.core.crypto import columns

SEALED = [
    columns.SealedColumn("registry_enterprise", "legal_rep_id_number", "legal_rep_id_number_bidx"),
    columns.SealedColumn("registry_enterprise", "contact_mobile", "contact_mobile_bidx"),
    columns.SealedColumn("registry_enterprisecontact", "mobile", "mobile_bidx"),
    columns.SealedColumn("registry_enterprisecontact", "id_number", "id_number_bidx"),
    columns.SealedColumn("registry_member", "id_number", "id_number_bidx"),
    columns.SealedColumn("registry_member", "mobile", "mobile_bidx"),
]


def seal_existing(apps, schema_editor):
    for col in SEALED:
        columns.seal_plain(col, schema_editor.connection)


def open_existing(apps, schema_editor):
    for col in SEALED:
        columns.open_sealed(col, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_report_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="contact_mobile_bidx",
            field=qinqing.core.crypto.fields.BlindIndexField(source="contact_mobile"),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="legal_rep_id_number_bidx",
            field=qinqing.core.crypto.fields.BlindIndexField(source="legal_rep_id_number"),
        ),
        migrations.AddField(
            model_name="enterprisecontact",
            name="id_number_bidx",
            field=qinqing.core.crypto.fields.BlindIndexField(source="id_number"),
        ),
        migrations.AddField(
            model_name="enterprisecontact",
            name="mobile_bidx",
            field=qinqing.core.crypto.fields.BlindIndexField(source="mobile"),
        ),
        migrations.AddField(
            model_name="member",
            name="id_number_bidx",
            field=qinqing.core.crypto.fields.BlindIndexField(source="id_number"),
        ),
        migrations.AddField(
            model_name="member",
            name="mobile_bidx",
            field=qinqing.core.crypto.fields.BlindIndexField(source="mobile"),
        ),
        migrations.AlterField(
            model_name="enterprise",
            name="contact_mobile",
            field=qinqing.core.crypto.fields.EncryptedCharField(
                blank=True, blind_index="contact_mobile_bidx", max_length=11, verbose_name="联系人手机"
            ),
        ),
        migrations.AlterField(
            model_name="enterprise",
            name="legal_rep_id_number",
            field=qinqing.core.crypto.fields.EncryptedCharField(
                blank=True, blind_index="legal_rep_id_number_bidx", max_length=18, verbose_name="法定代表人身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="enterprisecontact",
            name="id_number",
            field=qinqing.core.crypto.fields.EncryptedCharField(
                blank=True, blind_index="id_number_bidx", max_length=18, verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="enterprisecontact",
            name="mobile",
            field=qinqing.core.crypto.fields.EncryptedCharField(
                blank=True, blind_index="mobile_bidx", max_length=11, verbose_name="手机号码"
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=qinqing.core.crypto.fields.EncryptedCharField(
                blank=True, blind_index="id_number_bidx", max_length=18, verbose_name="身份证号"
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="mobile",
            field=qinqing.core.crypto.fields.EncryptedCharField(
                blank=True, blind_index="mobile_bidx", max_length=11, verbose_name="手机号码"
            ),
        ),
        migrations.RunPython(seal_existing, open_existing),
    ]
