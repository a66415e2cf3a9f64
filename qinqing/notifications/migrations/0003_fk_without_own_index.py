"""The notification's own ``recipient_id`` index dropped: ``notification_unread`` (recipient, read_at) and the unique
(recipient, key) lead with it. See core.schema_ops."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from qinqing.core.schema_ops import without_own_index

TABLE = "notifications_notification"


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_personal_delivery"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        without_own_index(
            migrations.AlterField(
                model_name="notification",
                name="recipient",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="notifications",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="接收人",
                ),
            ),
            TABLE,
        ),
    ]
