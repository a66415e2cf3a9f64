"""The member list's order as an index (registry/members/views.py, ``in_list_order``). PostgreSQL only, on the
path in the "C" collation: there the scope's ``org_path LIKE 'path%'`` bounds the scan (under the database's
default collation it cannot) and the index returns the rows in list order. SQLite lists a county's members
without it."""

from django.db import migrations

INDEX = "member_scope_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON registry_member ((org_path COLLATE "C"), joined_on DESC, id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_rollups"),
    ]

    operations = [migrations.RunPython(create, drop)]
