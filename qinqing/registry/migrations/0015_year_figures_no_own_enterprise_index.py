"""The yearly figures' own ``enterprise_id`` index dropped: the unique (enterprise_id, year) leads with it and answers
every lookup by enterprise (its figures, the cascade of its deletion, the import's fetch of the stored years). An
import of a new year's figures for existing enterprises inserted into that index in random order (SQLite, 10,000
rows into 100,000: 90 → 30 ms median). See core.schema_ops."""

import django.db.models.deletion
from django.db import migrations, models

from qinqing.core.schema_ops import without_own_index


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_enterprise_scope_name_covering"),
    ]

    operations = [
        without_own_index(
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
            "registry_enterpriseyearfigures",
        )
    ]
