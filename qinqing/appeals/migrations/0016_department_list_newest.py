"""A department officer's appeal list (``lead_department_id = X ORDER BY registered_on DESC, id DESC``, the page's
ids first: views._page_by_ids) reads its 30 ids in the order of ``(lead_department, registered_on DESC, id DESC)``
instead of sorting every appeal the department ever led: the province load run of 2026-12-07 saw it at 479 ms."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0015_appeal_list_newest"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["lead_department", "-registered_on", "-id"], name="appeal_dept_newest"),
        ),
    ]
