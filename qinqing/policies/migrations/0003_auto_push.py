from django.db import migrations, models

HELP = "政策发布并生效后，每家新符合条件的企业自动收到一次推送；不勾选则由工作人员手动推送"


class Migration(migrations.Migration):
    """auto_push: on for new policies; off for the policies that exist already, so an upgrade does not suddenly
    notify every enterprise eligible for an old policy (staff switch it on per policy)."""

    dependencies = [
        ("policies", "0002_attachment_text_filename"),
    ]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="auto_push",
            field=models.BooleanField(default=False, help_text=HELP, verbose_name="自动推送新符合条件的企业"),
        ),
        migrations.AlterField(
            model_name="policy",
            name="auto_push",
            field=models.BooleanField(default=True, help_text=HELP, verbose_name="自动推送新符合条件的企业"),
        ),
    ]
