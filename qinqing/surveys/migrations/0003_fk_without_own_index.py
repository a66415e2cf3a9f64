"""The answer value's own ``survey_id`` index dropped: ``survey_value_item`` (survey, item) leads with it. See core.schema_ops."""

import django.db.models.deletion
from django.db import migrations, models

from qinqing.core.schema_ops import without_own_index

TABLE = "surveys_answervalue"


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_answer_values"),
    ]

    operations = [
        without_own_index(
            migrations.AlterField(
                model_name="answervalue",
                name="survey",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="surveys.survey",
                    verbose_name="问卷",
                ),
            ),
            TABLE,
        ),
    ]
