"""Drop the enterprise table's plain ``industry_code`` index: the one filter on that column is a prefix (the list's
行业代码 filter, ``industry_code LIKE '13%'``), which PostgreSQL's ``varchar_pattern_ops`` twin answers (that twin
also answers an equality; SQLite's LIKE, case-insensitive with an ESCAPE, used neither), and nothing orders by it
or compares it by range. Every new or changed enterprise paid for one more b-tree insertion (issue 17: the import's
INSERT is mostly index maintenance, docs/performance/registry.md). The model keeps ``db_index=True``;
tests/test_scope_indexes.py checks the filter's count still reads an index."""

from django.db import migrations

from ._plain_index import drop_plain_index


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_enterprise_drop_plain_org_path_index"),
    ]

    operations = [drop_plain_index("industry_code")]
