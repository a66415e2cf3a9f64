"""Migration operations shared by the apps.

``without_own_index(alter_field, table)``: a foreign key's own index dropped because a composite index of the same
table leads with its column and answers every lookup by it (the related object's rows, the cascade or protection
of its deletion). Every written row paid one more b-tree insertion for nothing (issue 17: bulk writes are mostly
index maintenance, docs/performance.md). The state takes the ``AlterField`` (``db_index=False``); the database
only drops the index (recreated on the way back): Django's own ``AlterField`` would drop and re-add the foreign
key on PostgreSQL, validating it again over the whole table, and rebuild the table on SQLite.
"""

from django.db import migrations


def without_own_index(alter_field: migrations.AlterField, table: str) -> migrations.SeparateDatabaseAndState:
    column = f"{alter_field.name}_id"

    def name(schema_editor) -> str:
        return schema_editor.quote_name(schema_editor._create_index_name(table, [column], suffix=""))

    def drop(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name(schema_editor)}")

    def create(apps, schema_editor):
        quoted = schema_editor.quote_name(column)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name(schema_editor)} ON {table} ({quoted})")

    return migrations.SeparateDatabaseAndState(
        state_operations=[alter_field], database_operations=[migrations.RunPython(drop, create)]
    )
