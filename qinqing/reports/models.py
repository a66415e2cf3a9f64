"""Report records: annual work summaries, published ranking lists, 参政议政 outputs, 五好县级工商联 ratings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel

from .choices import AdoptionLevel, Award, InstructionLevel, OutputKind, ProposalType, RatingLevel, SummaryState


class AnnualSummary(TimeStampedModel):
    """An FIC node's annual work summary: per section, text staff edit around live figures.

    A section's text holds placeholders ``{{figure.key}}`` that render the figure's value, linked to its
    drill-down. Until finalised the values are live; finalising stores them in ``snapshot`` so the document
    no longer moves, and the page shows which figures changed since.
    """

    org = models.ForeignKey("orgs.Organization", verbose_name=_("工商联"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    texts = models.JSONField(_("各部分正文"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=SummaryState.choices, default=SummaryState.DRAFT)
    snapshot = models.JSONField(_("定稿时的数据"), default=dict, blank=True)
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("定稿人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "org_path"]
        verbose_name = _("年度工作总结")
        verbose_name_plural = _("年度工作总结")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="reports_summary_once_a_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class RankingList(TimeStampedModel):
    """A published N强 list: a frozen snapshot with its rule, note and data date."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("工商联"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    metric = models.CharField(_("指标"), max_length=12)
    year = models.PositiveSmallIntegerField(_("年度"))
    top = models.PositiveIntegerField(_("名次数"))
    title = models.CharField(_("榜单名称"), max_length=200)
    rule = models.TextField(_("排名规则"))
    note = models.TextField(_("说明"))
    value_header = models.CharField(_("指标列名"), max_length=50)
    data_date = models.DateTimeField(_("数据日期"))
    entries = models.JSONField(_("名单"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("榜单")
        verbose_name_plural = _("榜单")

    def __str__(self) -> str:
        return self.title


class AdvisoryOutput(TimeStampedModel):
    """One 参政议政 output: a proposal, 社情民意信息, research report, 信息专报 or conference speech."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("工商联"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    kind = models.CharField(_("类别"), max_length=10, choices=OutputKind.choices, db_index=True)
    proposal_type = models.CharField(_("提案类型"), max_length=10, choices=ProposalType.choices, blank=True)
    session = models.CharField(_("政协届次会议"), max_length=50, blank=True)
    number = models.CharField(_("提案号"), max_length=30, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    authors = models.CharField(_("作者"), max_length=200, blank=True)
    units = models.CharField(_("作者单位"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True)
    submitted_on = models.DateField(_("报送日期"))
    submitted_to = models.CharField(_("报送单位"), max_length=100, blank=True)
    filed = models.BooleanField(_("立案"), default=False)
    key_supervised = models.BooleanField(_("重点督办"), default=False)
    adoption_levels = models.CharField(_("采用层级"), max_length=120, blank=True, help_text=_("逗号分隔的层级代码"))
    adopted_on = models.DateField(_("采用日期"), null=True, blank=True)
    instruction_level = models.CharField(_("领导批示层级"), max_length=10, choices=InstructionLevel.choices, blank=True)
    instruction_note = models.CharField(_("批示情况"), max_length=300, blank=True)
    award = models.CharField(_("获奖"), max_length=10, choices=Award.choices, blank=True)
    attachment = models.FileField(_("附件"), upload_to="reports/outputs/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("参政议政成果")
        verbose_name_plural = _("参政议政成果")

    def __str__(self) -> str:
        return self.title

    @property
    def adoption_codes(self) -> list[str]:
        return [c for c in self.adoption_levels.split(",") if c]

    @property
    def adoption_labels(self) -> list[str]:
        labels = dict(AdoptionLevel.choices)
        return [str(labels.get(c, c)) for c in self.adoption_codes]


class FicRating(TimeStampedModel):
    """A 五好县级工商联 title of an FIC node, by the level that awarded it and the year."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("工商联"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    level = models.CharField(_("评定层级"), max_length=10, choices=RatingLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    benchmark = models.BooleanField(_("标杆"), default=False)

    class Meta:
        ordering = ["-year", "org_path"]
        verbose_name = _("五好县级工商联")
        verbose_name_plural = _("五好县级工商联")
        constraints = [models.UniqueConstraint(fields=["org", "level", "year"], name="reports_fic_rating_once")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"
