# Fields the reports need (issue 15): ranking exclusions, chamber party organisation and types,
# members' seats as 人大代表 / 政协委员. Database defaults, so the staged (ADBC) import writes need no change.

from django.db import migrations, models

DEPUTY_LEVELS = [
    ("national", "全国"),
    ("province", "省级"),
    ("city", "市级"),
    ("county", "县级"),
    ("township", "乡镇级"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_member_group_passdown"),
    ]

    operations = [
        migrations.AddField(
            model_name="chamber",
            name="party_liaison",
            field=models.CharField(blank=True, db_default="", max_length=50, verbose_name="党建联络员"),
        ),
        migrations.AddField(
            model_name="chamber",
            name="party_org_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("independent", "独立党组织"),
                    ("joint", "联合党组织"),
                    ("functional", "功能型党组织"),
                    ("none", "无"),
                ],
                db_default="",
                help_text="独立、联合、功能型或无",
                max_length=12,
                verbose_name="党组织类型",
            ),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="non_private_controlled",
            field=models.BooleanField(db_default=False, default=False, verbose_name="非民营控股"),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="serious_dishonesty",
            field=models.BooleanField(db_default=False, default=False, verbose_name="严重失信"),
        ),
        migrations.AddField(
            model_name="member",
            name="cppcc_level",
            field=models.CharField(
                blank=True, choices=DEPUTY_LEVELS, db_default="", max_length=10, verbose_name="政协委员层级"
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="npc_level",
            field=models.CharField(
                blank=True, choices=DEPUTY_LEVELS, db_default="", max_length=10, verbose_name="人大代表层级"
            ),
        ),
        migrations.AlterField(
            model_name="chamber",
            name="chamber_type",
            field=models.CharField(
                choices=[
                    ("industry", "行业商会"),
                    ("market", "市场商会"),
                    ("nonlocal", "异地商会"),
                    ("township", "乡镇街道商会"),
                    ("park", "园区商会"),
                    ("youth", "青年商会"),
                    ("special", "特色商会"),
                    ("other", "其他"),
                ],
                db_index=True,
                max_length=16,
                verbose_name="商会类型",
            ),
        ),
    ]
