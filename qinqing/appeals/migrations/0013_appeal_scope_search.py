"""The searched appeal list's covering index (PostgreSQL ``INCLUDE``): the scope's ``org_path`` (pattern ops, for
``LIKE '/…/%'``) carrying the searched columns (``number``, ``title``, ``enterprise_name``) and the list's order
(``registered_on``, ``id``). The capped count — ``org_path LIKE … AND (number = … OR title LIKE … OR enterprise_name
LIKE …)`` — and the page's ids are read from the index alone instead of every appeal row of the scope (~1 kB rows
with the description); the view then reads the page's 30 rows by id (views._page_by_ids).

PostgreSQL only, like registry/0014: SQLite has no ``INCLUDE`` (a model ``Index(include=…)`` raises a system-check
warning there), and its plain index on ``org_path`` already serves it. At 600,000 appeals: see
docs/performance/province.md for the build time."""

from django.db import migrations

INDEX = "appeal_scope_search"
TABLE = "appeals_appeal"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON {TABLE} (org_path varchar_pattern_ops) "
        "INCLUDE (registered_on, id, number, title, enterprise_name)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0012_appeal_enterprise_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
