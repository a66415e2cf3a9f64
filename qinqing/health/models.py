"""Enterprise health check (企业健康体检): scoring versions, the figures the registry lacks, questionnaire
answers, scoring runs and their results, and visits (进企业、解难题)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel

from .choices import Answer, VersionStatus, VisitReason, VisitStatus


class ScoringVersion(TimeStampedModel):
    """One version of the scheme (weights and bands). Published versions never change: a change is a new version,
    so every result keeps the scheme it was scored with."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    config = models.JSONField(_("权重与分档"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("评分方案版本")
        verbose_name_plural = _("评分方案版本")

    def __str__(self) -> str:
        return f"V{self.number} {self.name}"


class FinancialSupplement(TimeStampedModel):
    """The yearly figures the registry does not hold (profit, cost of sales, liabilities, receivables, inventory),
    stated by the enterprise or recorded by staff; a blank field stays missing (never estimated)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="health_supplements"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    profit_wan = models.DecimalField(_("利润总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    cost_wan = models.DecimalField(_("营业成本（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    liabilities_wan = models.DecimalField(_("负债总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    receivables_wan = models.DecimalField(_("应收账款（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    inventory_wan = models.DecimalField(_("存货（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("补充财务数据")
        verbose_name_plural = _("补充财务数据")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="health_supplement_one_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class QuestionnaireAnswers(TimeStampedModel):
    """The enterprise's current answers to the optional questionnaire items (code → yes / partly / no)."""

    enterprise = models.OneToOneField(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="health_answers"
    )
    answers = models.JSONField(_("答案"), default=dict)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["enterprise"]
        verbose_name = _("体检问卷答案")
        verbose_name_plural = _("体检问卷答案")

    def __str__(self) -> str:
        return str(self.enterprise_id)

    def label(self, code: str) -> str:
        value = self.answers.get(code)
        return Answer(value).label if value in Answer.values else ""


class HealthRun(TimeStampedModel):
    """One scoring of every enterprise with figures in a subtree, with one version (a background job)."""

    version = models.ForeignKey(
        ScoringVersion, verbose_name=_("评分方案"), on_delete=models.PROTECT, related_name="runs"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    job = models.ForeignKey("core.Job", verbose_name=_("后台任务"), on_delete=models.SET_NULL, null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    scored = models.PositiveIntegerField(_("体检企业数"), default=0)
    low = models.PositiveIntegerField(_("低分企业数"), default=0)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("体检批次")
        verbose_name_plural = _("体检批次")

    def __str__(self) -> str:
        return f"{self.version} @ {self.org_path}"


class HealthResult(models.Model):
    """One enterprise's diagnosis from one run: scores, the indicator values behind them, missing data and the
    peer medians. ``is_current`` marks the latest result of each enterprise (the one pages and figures read)."""

    run = models.ForeignKey(HealthRun, verbose_name=_("体检批次"), on_delete=models.CASCADE, related_name="results")
    version = models.ForeignKey(ScoringVersion, verbose_name=_("评分方案"), on_delete=models.PROTECT, related_name="+")
    # No index of its own: (enterprise, is_current) leads with it (core.schema_ops).
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="health_results",
        db_index=False,
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(_("数据年度"))
    total = models.FloatField(_("综合得分"), null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=1, blank=True, db_index=True)
    coverage = models.FloatField(_("数据覆盖率"), default=0)
    dimensions = models.JSONField(_("维度得分"), default=dict)
    values = models.JSONField(_("指标值"), default=dict)
    points = models.JSONField(_("指标得分"), default=dict)
    missing = models.JSONField(_("缺失数据"), default=list)
    peers = models.JSONField(_("同类对比"), default=dict)
    weakest = models.CharField(_("最弱维度"), max_length=12, blank=True)
    previous_total = models.FloatField(_("上次得分"), null=True, blank=True)
    is_low = models.BooleanField(_("低分"), default=False)
    fell = models.BooleanField(_("得分下降"), default=False)
    is_current = models.BooleanField(_("最新结果"), default=True, db_index=True)
    computed_at = models.DateTimeField(_("计算时间"), db_index=True)

    class Meta:
        ordering = ["-computed_at", "enterprise"]
        verbose_name = _("体检结果")
        verbose_name_plural = _("体检结果")
        indexes = [models.Index(fields=["enterprise", "is_current"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.total}"


class VisitTask(TimeStampedModel):
    """A visit to an enterprise whose score is low or fell (进企业、解难题); problems found may become an appeal."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="health_visits"
    )
    result = models.ForeignKey(
        HealthResult, verbose_name=_("体检结果"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    reason = models.CharField(_("走访原因"), max_length=10, choices=VisitReason.choices)
    status = models.CharField(_("状态"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    due_on = models.DateField(_("计划日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    notes = models.TextField(_("走访记录"), blank=True)
    problems = models.TextField(_("发现的问题"), blank=True)
    department = models.ForeignKey(
        "orgs.Organization", verbose_name=_("责任部门"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("诉求"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appealed_on = models.DateField(_("转诉求日期"), null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "-id"]
        verbose_name = _("体检走访")
        verbose_name_plural = _("体检走访")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.due_on}"
