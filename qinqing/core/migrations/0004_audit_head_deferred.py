"""On PostgreSQL the chain head moves once per transaction, at commit (audit_guard.POSTGRES_HEAD_MOVE_INSTALL)."""

from django.db import migrations

from qinqing.core import audit_guard


def install(apps, schema_editor):
    audit_guard.install_head_move(schema_editor)


def remove(apps, schema_editor):
    audit_guard.remove_head_move(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_head_guard")]

    operations = [migrations.RunPython(install, remove)]
