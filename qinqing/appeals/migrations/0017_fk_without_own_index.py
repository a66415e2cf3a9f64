"""The appeal's own ``enterprise_id`` and ``lead_department_id`` indexes dropped: ``appeal_ent_date`` (enterprise,
registered_on) and ``appeal_dept_newest``/``appeal_dept_status`` (lead_department, …) lead with them. See core.schema_ops."""

import django.db.models.deletion
from django.db import migrations, models

from qinqing.core.schema_ops import without_own_index

TABLE = "appeals_appeal"


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0016_department_list_newest"),
        ("orgs", "0001_initial"),
        ("registry", "0015_year_figures_no_own_enterprise_index"),
    ]

    operations = [
        without_own_index(
            migrations.AlterField(
                model_name="appeal",
                name="enterprise",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="appeals",
                    to="registry.enterprise",
                    verbose_name="企业",
                ),
            ),
            TABLE,
        ),
        without_own_index(
            migrations.AlterField(
                model_name="appeal",
                name="lead_department",
                field=models.ForeignKey(
                    blank=True,
                    db_index=False,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="led_appeals",
                    to="orgs.organization",
                    verbose_name="主办单位",
                ),
            ),
            TABLE,
        ),
    ]
