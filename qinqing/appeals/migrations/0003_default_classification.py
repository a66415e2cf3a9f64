from django.db import migrations

from qinqing.appeals.classification import DOMAINS, TYPES


def forwards(apps, schema_editor):
    AppealType = apps.get_model("appeals", "AppealType")
    AppealDomain = apps.get_model("appeals", "AppealDomain")
    DeadlineRule = apps.get_model("appeals", "DeadlineRule")
    for i, (code, name) in enumerate(TYPES):
        AppealType.objects.get_or_create(code=code, defaults={"name": name, "order": i})
    for i, (code, name) in enumerate(DOMAINS):
        AppealDomain.objects.get_or_create(code=code, defaults={"name": name, "order": i})
    if not DeadlineRule.objects.filter(appeal_type=None, domain=None).exists():
        DeadlineRule.objects.create()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
