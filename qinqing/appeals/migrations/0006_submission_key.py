from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def enterprise_steps_as_the_enterprise(apps, schema_editor):
    """History rows written by enterprise users named the user's FIC as the acting unit; name the
    enterprise instead (企业名称 + person), as new rows do."""
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    name = User.objects.filter(pk=OuterRef("actor_id")).values("enterprise__name")[:1]
    AppealEvent.objects.filter(actor__role="enterprise", actor__enterprise__isnull=False).update(
        actor_org=Subquery(name)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0005_fic_step_deadlines"),
        ("registry", "0003_member_group_passdown"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="submission_key",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="提交标识"),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_key", ""), _negated=True),
                fields=("reported_by", "submission_key"),
                name="appeal_unique_submission",
            ),
        ),
        migrations.RunPython(enterprise_steps_as_the_enterprise, migrations.RunPython.noop),
    ]
