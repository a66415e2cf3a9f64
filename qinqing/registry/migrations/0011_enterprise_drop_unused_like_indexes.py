"""Drop two of the enterprise table's 13 indexes that no query uses: the ``varchar_pattern_ops`` twins PostgreSQL
gets for ``name`` and ``size_class`` (Django adds one to every indexed CharField, for ``LIKE 'prefix%'``). Nothing
filters either column by prefix (names by ``contains``, which no b-tree serves; sizes by equality), and each
new or changed enterprise paid for both: the import's INSERT of 10,000 enterprises took 21% less server time
without them (docs/performance/registry.md). The plain b-tree indexes of both columns stay. PostgreSQL only
(SQLite never had them); the model keeps ``db_index=True`` (that index is what it declares)."""

from django.db import migrations

TABLE = "registry_enterprise"
COLUMNS = ("name", "size_class")


def _names(schema_editor) -> list[str]:
    return [schema_editor._create_index_name(TABLE, [column], suffix="_like") for column in COLUMNS]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in _names(schema_editor):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in zip(_names(schema_editor), COLUMNS, strict=True):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} "
                f"ON {TABLE} ({schema_editor.quote_name(column)} varchar_pattern_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_member_scope_order"),
    ]

    operations = [migrations.RunPython(drop, create)]
