"""Drop the enterprise table's plain ``org_path`` index: the (org_path, name) index ``enterprise_scope_name``
answers everything it did (an equality, ``= ANY`` of a list of paths, the order by path), and every new or
changed enterprise paid for one more b-tree insertion (issue 17: the import's INSERT is mostly index maintenance,
docs/performance/registry.md). The prefix scope (``org_path LIKE 'path%'``) keeps PostgreSQL's
``varchar_pattern_ops`` twin, which a plain index could not serve under this database's collation anyway.
Both databases (SQLite's LIKE, case-insensitive with an ESCAPE, used neither). The model keeps ``db_index=True``
(that index is what it declares); tests/test_scope_indexes.py checks every scope's count query still uses an index."""

from django.db import migrations

from ._plain_index import drop_plain_index


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_enterprise_drop_unused_like_indexes"),
    ]

    operations = [drop_plain_index("org_path")]
