from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

from qinqing.core import audit_guard


def install(apps, schema_editor):
    audit_guard.install(schema_editor)


def remove(apps, schema_editor):
    audit_guard.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Deleting a user must not rewrite its audit rows (SET_NULL would UPDATE them and break the chain).
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.RunPython(install, remove),
    ]
