"""A policy's state is one of its three choices, held by the database: the search index answers ``state = v`` as
"none of the other states" (search_index.CLOSED_FIELDS), which is exact only while no other value can be stored.
The index's schema went to version 3 with this change, so searches use the database index until
``rebuild_policy_index`` runs (``make migrate`` runs it with ``--if-stale``; the nightly rebuild does it too)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("policies", "0007_push_rollups")]

    operations = [
        migrations.AddConstraint(
            model_name="policy",
            constraint=models.CheckConstraint(
                condition=models.Q(state__in=["draft", "published", "withdrawn"]), name="policy_state_known"
            ),
        ),
    ]
