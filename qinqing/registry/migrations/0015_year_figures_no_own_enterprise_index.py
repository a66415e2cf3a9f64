"""Drop the yearly figures' own index on ``enterprise_id``: the unique (enterprise_id, year) index leads with the
same column and answers every lookup by enterprise (an enterprise's figures, the cascade of its deletion, the
import's fetch of the stored years, the foreign key's checks). Every new yearly row paid one more b-tree insertion
(issue 17: an import's INSERTs are mostly index maintenance, docs/performance/registry.md).

Only the index is dropped (and recreated on the way back): Django's own AlterField would drop and re-add the
foreign key on PostgreSQL, validating it again over the whole table, and rebuild the table on SQLite."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "registry_enterpriseyearfigures"


def _name(schema_editor) -> str:
    return schema_editor.quote_name(schema_editor._create_index_name(TABLE, ["enterprise_id"], suffix=""))


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {_name(schema_editor)}")


def create(apps, schema_editor):
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {_name(schema_editor)} ON {TABLE} ("enterprise_id")')


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_enterprise_scope_name_covering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="enterpriseyearfigures",
                    name="enterprise",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="year_figures",
                        to="registry.enterprise",
                        verbose_name="企业",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]
