"""The audit chain head gets triggers like the log (audit_guard.SQLITE_HEAD_INSTALL / POSTGRES_HEAD_INSTALL)."""

from django.db import migrations

from qinqing.core import audit_guard


def install(apps, schema_editor):
    audit_guard.install_head(schema_editor)


def remove(apps, schema_editor):
    audit_guard.remove_head(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(install, remove)]
