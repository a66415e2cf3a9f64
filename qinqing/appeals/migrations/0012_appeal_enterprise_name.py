"""The enterprise's name on the appeal, filled from the enterprises and kept by triggers (enterprise_name.py)."""

from django.db import migrations, models

from qinqing.appeals import enterprise_name


def install(apps, schema_editor):
    enterprise_name.install(schema_editor)


def remove(apps, schema_editor):
    enterprise_name.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0011_month_rollup"),
        ("registry", "0012_enterprise_drop_plain_org_path_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="enterprise_name",
            field=models.CharField(db_default="", default="", editable=False, max_length=200, verbose_name="企业名称"),
        ),
        migrations.RunPython(install, remove),
    ]
