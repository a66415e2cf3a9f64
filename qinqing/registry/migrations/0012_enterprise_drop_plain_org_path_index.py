"""Drop the enterprise table's plain ``org_path`` index: the (org_path, name) index ``enterprise_scope_name``
answers everything it did (an equality, ``= ANY`` of a list of paths, the order by path), and every new or
changed enterprise paid for one more b-tree insertion (issue 17: the import's INSERT is mostly index maintenance,
docs/performance/registry.md). The prefix scope (``org_path LIKE 'path%'``) keeps PostgreSQL's
``varchar_pattern_ops`` twin, which a plain index could not serve under this database's collation anyway.
Both databases (SQLite's LIKE, case-insensitive with an ESCAPE, used neither). The model keeps ``db_index=True``
(that index is what it declares); tests/test_scope_indexes.py checks every scope's count query still uses an index."""

from django.db import migrations

TABLE = "registry_enterprise"
COLUMN = "org_path"


def _name(schema_editor) -> str:
    return schema_editor._create_index_name(TABLE, [COLUMN], suffix="")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(_name(schema_editor))}")


def create(apps, schema_editor):
    name = schema_editor.quote_name(_name(schema_editor))
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({schema_editor.quote_name(COLUMN)})")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_enterprise_drop_unused_like_indexes"),
    ]

    operations = [migrations.RunPython(drop, create)]
