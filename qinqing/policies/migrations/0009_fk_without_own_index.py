"""The push's own ``policy_id`` index dropped: the unique ``policies_push_once`` (policy, enterprise) leads with it.
A province's first matching run writes millions of pushes. See core.schema_ops."""

import django.db.models.deletion
from django.db import migrations, models

from qinqing.core.schema_ops import without_own_index

TABLE = "policies_policypush"


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0008_policy_state_known"),
    ]

    operations = [
        without_own_index(
            migrations.AlterField(
                model_name="policypush",
                name="policy",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="pushes",
                    to="policies.policy",
                    verbose_name="政策",
                ),
            ),
            TABLE,
        ),
    ]
