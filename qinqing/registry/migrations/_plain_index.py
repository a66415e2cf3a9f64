"""Shared by migrations 0012 and 0013 (the loader skips modules starting with "_"): drop the plain b-tree index
Django made for an indexed enterprise column, keeping PostgreSQL's ``varchar_pattern_ops`` twin; recreate it on
the way back. The model keeps ``db_index=True`` (that index is what it declares)."""

from django.db import migrations

TABLE = "registry_enterprise"


def drop_plain_index(column: str) -> migrations.RunPython:
    def name(schema_editor) -> str:
        return schema_editor.quote_name(schema_editor._create_index_name(TABLE, [column], suffix=""))

    def drop(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name(schema_editor)}")

    def create(apps, schema_editor):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name(schema_editor)} ON {TABLE} ({schema_editor.quote_name(column)})"
        )

    return migrations.RunPython(drop, create)
