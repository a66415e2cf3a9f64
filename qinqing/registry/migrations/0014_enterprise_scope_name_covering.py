"""The enterprise list's (org_path, name) index also carries ``credit_code`` and ``id`` (PostgreSQL ``INCLUDE``),
so a searched list — ``name LIKE '%word%' OR credit_code LIKE 'WORD%'`` within the scope — is counted and paged
from the index alone: the capped count and the page's ids no longer read the 2.7 GB heap (~900-byte rows) for
every enterprise of a county (230,000 at 3 M) to test its credit code. Same name, same key columns, so every plan
and plan test that names ``enterprise_scope_name`` holds, and still one index for the import to maintain.

PostgreSQL only, like ``member_scope_order`` (0010): SQLite has no ``INCLUDE`` (its index already carries the rowid,
which is ``id``), and a model ``Index(include=…)`` would raise a system-check warning on SQLite; the model keeps
declaring the plain index. The new index is built beside the old one and renamed, so the list keeps an index
until the swap. At 3 M enterprises: see docs/performance/province.md for the build time."""

from django.db import migrations

INDEX = "enterprise_scope_name"
TABLE = "registry_enterprise"


def _swap(schema_editor, include: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}_swap")
    schema_editor.execute(f"CREATE INDEX {INDEX}_swap ON {TABLE} (org_path, name){include}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER INDEX {INDEX}_swap RENAME TO {INDEX}")


def cover(apps, schema_editor):
    _swap(schema_editor, " INCLUDE (credit_code, id)")


def uncover(apps, schema_editor):
    _swap(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_enterprise_drop_plain_industry_code_index"),
    ]

    operations = [migrations.RunPython(cover, uncover)]
