from django.db import migrations, models
from django.utils import timezone

from qinqing.policies.segment import segment  # pure (no models): the same words as the live code

# A starting table (administrators maintain it on /policies/synonyms/): the words people search for and the
# words policies use for the same thing.
DEFAULTS = {
    "补贴": "补助 奖补 贴息 资助 奖励 扶持资金",
    "补助": "补贴 奖补 资助",
    "奖励": "奖补 奖金",
    "融资": "贷款 担保 贴息 信贷 授信",
    "贷款": "信贷 授信 担保",
    "科技": "科学技术 高新技术 研发 科创 技术改造",
    "创新": "研发 科创",
    "减税": "税费 减免 加计扣除",
    "税收": "税费 纳税",
    "人才": "引才 毕业生 博士",
    "就业": "稳岗 吸纳 招聘",
    "用地": "供地 土地 厂房",
    "上市": "挂牌 股改",
    "数字化": "上云 两化融合",
}

BENEFIT_LABELS = {
    "subsidy": "资金补贴",
    "tax": "税费减免",
    "financing": "融资支持",
    "talent": "人才",
    "land": "用地",
    "honor": "荣誉资质",
    "other": "其他",
}
METHOD_LABELS = {"apply": "申报", "automatic": "免申即享"}


def add_defaults(apps, schema_editor):
    SearchSynonym = apps.get_model("policies", "SearchSynonym")
    now = timezone.now()
    SearchSynonym.objects.bulk_create(
        [SearchSynonym(term=term, synonyms=words, created_at=now) for term, words in DEFAULTS.items()]
    )


def resegment(apps, schema_editor):
    """The search text now also holds the benefit type (扶持类型) and application method labels: recompute it
    (as search.policy_search_text does) and refresh SQLite's FTS table; the tantivy index is rebuilt by
    rebuild_policy_index (its schema version changed, so searches use the database until then)."""
    Policy = apps.get_model("policies", "Policy")
    Attachment = apps.get_model("policies", "PolicyAttachment")
    Organization = apps.get_model("orgs", "Organization")
    attachments = {}
    for policy_id, name, text in Attachment.objects.values_list("policy_id", "name", "text"):
        attachments.setdefault(policy_id, []).append(f"{name} {text}")
    issuers = dict(Organization.objects.filter(issued_policies__isnull=False).values_list("pk", "name").distinct())
    for policy in Policy.objects.all().iterator(chunk_size=1000):
        issuer = issuers.get(policy.issuer_id, "") if policy.issuer_id else policy.issuer_name
        text = segment(
            policy.title,
            policy.doc_number,
            issuer,
            policy.summary,
            policy.body,
            " ".join(attachments.get(policy.pk, [])),
            BENEFIT_LABELS.get(policy.benefit_type, ""),
            METHOD_LABELS.get(policy.application_method, ""),
        )
        Policy.objects.filter(pk=policy.pk).update(search_text=text)
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DELETE FROM policies_policy_fts")
            cursor.execute(
                "INSERT INTO policies_policy_fts(rowid, search_text) SELECT id, search_text FROM policies_policy"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("policies", "0003_auto_push"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=timezone.now, editable=False, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("term", models.CharField(max_length=50, unique=True, verbose_name="检索词")),
                (
                    "synonyms",
                    models.CharField(
                        help_text="搜索该词时一并检索的词，以空格、逗号或顿号分隔",
                        max_length=500,
                        verbose_name="同时检索",
                    ),
                ),
            ],
            options={"verbose_name": "检索同义词", "verbose_name_plural": "检索同义词", "ordering": ["term"]},
        ),
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
        migrations.RunPython(resegment, migrations.RunPython.noop),
    ]
