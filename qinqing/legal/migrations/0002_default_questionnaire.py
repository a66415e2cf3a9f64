from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from qinqing.legal.defaults import seed_default

    Version = apps.get_model("legal", "QuestionnaireVersion")
    if Version.objects.exists():
        return
    version = Version.objects.create(
        number=1, title="法治体检问卷（默认）", published_at=timezone.now(), is_current=True
    )
    seed_default(apps.get_model("legal", "Area"), apps.get_model("legal", "Question"), version)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
