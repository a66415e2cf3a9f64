from django.db import migrations


def forwards(apps, schema_editor):
    from qinqing.financing.reasons import DEFAULT_REASONS

    RefusalReason = apps.get_model("financing", "RefusalReason")
    for order, (code, name, fixable, department) in enumerate(DEFAULT_REASONS):
        RefusalReason.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "fixable": fixable,
                "department_hint": department,
                "needs_text": code == "other",
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("financing", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
