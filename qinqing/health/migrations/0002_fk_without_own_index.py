"""The health result's own ``enterprise_id`` index dropped: (enterprise, is_current) leads with it. A health run
writes one result per enterprise. See core.schema_ops."""

import django.db.models.deletion
from django.db import migrations, models

from qinqing.core.schema_ops import without_own_index

TABLE = "health_healthresult"


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0001_initial"),
        ("registry", "0015_year_figures_no_own_enterprise_index"),
    ]

    operations = [
        without_own_index(
            migrations.AlterField(
                model_name="healthresult",
                name="enterprise",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="health_results",
                    to="registry.enterprise",
                    verbose_name="企业",
                ),
            ),
            TABLE,
        ),
    ]
