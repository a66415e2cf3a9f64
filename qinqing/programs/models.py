"""Programs (专项工作): 万企兴万村 pairings with their projects and yearly funds, 光彩事业 donations, and the
上市后备 listing pipeline.

Amounts are 万元 (Decimal, two places). Every row carries the ``org_path`` of the node it belongs to (the
enterprise's FIC, or the chamber's node), so reads are scoped and figures roll up the tree by prefix.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel

from .choices import Board, DonationForm, Exchange, ListingStage, PartyKind, ProjectKind, ServiceKind, Tier

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Pairing(TimeStampedModel):
    """万企兴万村: an enterprise or a chamber paired with one administrative village (县级区划代码 + 村名)."""

    party_kind = models.CharField(_("结对主体类型"), max_length=10, choices=PartyKind.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="village_pairings",
    )  # fmt: skip
    chamber = models.ForeignKey(
        "orgs.Organization", verbose_name=_("商会"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="village_pairings",
    )  # fmt: skip
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    county_code = models.CharField(_("村所在县级区划代码"), max_length=6, db_index=True)
    county_name = models.CharField(_("村所在县（市、区）"), max_length=60)
    village = models.CharField(_("行政村"), max_length=60)
    # county_code + village: one key per village, so "villages paired" is a distinct count.
    village_key = models.CharField(_("村标识"), max_length=70, db_index=True)
    started_on = models.DateField(_("结对日期"), db_index=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    contact = models.CharField(_("村联系人"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("村企结对")
        verbose_name_plural = _("村企结对")

    def __str__(self) -> str:
        return f"{self.party_name}—{self.county_name}{self.village}"

    @property
    def party_name(self) -> str:
        party = self.enterprise if self.party_kind == PartyKind.ENTERPRISE else self.chamber
        return party.name if party is not None else ""


class Project(TimeStampedModel):
    """One project carried out under a pairing (产业, 就业, 消费, 公益, 其他)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("村企结对"), on_delete=models.CASCADE, related_name="projects")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the pairing's
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类型"), max_length=12, choices=ProjectKind.choices)
    started_on = models.DateField(_("启动日期"), db_index=True)
    description = models.TextField(_("项目内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("帮扶项目")
        verbose_name_plural = _("帮扶项目")

    def __str__(self) -> str:
        return self.name


class ProjectYear(TimeStampedModel):
    """A project's funds committed and spent, and people employed, in one year (one row per project and year)."""

    project = models.ForeignKey(Project, verbose_name=_("帮扶项目"), on_delete=models.CASCADE, related_name="years")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the pairing's
    year = models.PositiveSmallIntegerField(_("年度"))
    year_start = models.DateField(_("年度起始日"), db_index=True)  # 1 January: the day the year's figures count on
    committed = models.DecimalField(_("承诺投入资金（万元）"), **AMOUNT)
    spent = models.DecimalField(_("实际到位资金（万元）"), **AMOUNT)
    employed = models.PositiveIntegerField(_("带动就业（人）"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project_id", "year"]
        verbose_name = _("项目年度资金")
        verbose_name_plural = _("项目年度资金")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="programs_project_year_once")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"


def receipt_path(instance, filename: str) -> str:
    from pathlib import PurePath

    return f"programs/receipts/{instance.donated_on:%Y}/{instance.number}{PurePath(filename).suffix.lower()}"


class Donation(TimeStampedModel):
    """光彩事业: a donation by an enterprise, in cash or in kind (valued), with its receipt.

    ``major`` (≥ 100 万元) marks a donation to be reported upward; ``reported_on`` when it was."""

    number = models.CharField(_("登记编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("捐赠企业"), on_delete=models.PROTECT, related_name="donations"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    form = models.CharField(_("捐赠形式"), max_length=10, choices=DonationForm.choices)
    amount = models.DecimalField(_("金额或折价（万元）"), **AMOUNT)
    items = models.CharField(_("物资明细"), max_length=300, blank=True)
    recipient = models.CharField(_("受赠方"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=200)
    donated_on = models.DateField(_("捐赠日期"), db_index=True)
    receipt = models.FileField(_("捐赠票据"), upload_to=receipt_path, blank=True)
    receipt_name = models.CharField(_("票据文件名"), max_length=200, blank=True)
    major = models.BooleanField(_("重大捐赠（≥100万元）"), default=False, db_index=True)
    reported_on = models.DateField(_("上报日期"), null=True, blank=True)
    letters = models.PositiveSmallIntegerField(_("已生成感谢信次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-donated_on", "-id"]
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        indexes = [models.Index(fields=["org_path", "donated_on"])]

    def __str__(self) -> str:
        return self.number


class ListingCandidate(TimeStampedModel):
    """上市后备: an enterprise in the listing pipeline, its tier with the criteria met, and its current stage."""

    enterprise = models.OneToOneField(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="listing"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    tier = models.CharField(_("梯队"), max_length=8, choices=Tier.choices, db_index=True)
    criteria = models.JSONField(_("入库条件"), default=list)
    criteria_note = models.TextField(_("条件说明"), blank=True)
    entered_on = models.DateField(_("入库日期"), db_index=True)
    stage = models.CharField(_("阶段"), max_length=10, choices=ListingStage.choices, default=ListingStage.RESERVE)
    stage_on = models.DateField(_("进入本阶段日期"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exchange = models.CharField(_("上市交易所"), max_length=10, choices=Exchange.choices, blank=True)
    board = models.CharField(_("上市板块"), max_length=10, choices=Board.choices, blank=True)
    listed_on = models.DateField(_("上市日期"), null=True, blank=True, db_index=True)
    stock_code = models.CharField(_("证券代码"), max_length=12, blank=True)

    class Meta:
        ordering = ["-entered_on", "-id"]
        verbose_name = _("上市后备企业")
        verbose_name_plural = _("上市后备企业")

    def __str__(self) -> str:
        return str(self.enterprise)


class StageStep(models.Model):
    """One stage a candidate entered: the date and the responsible officer (the pipeline's history)."""

    candidate = models.ForeignKey(
        ListingCandidate, verbose_name=_("上市后备企业"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=ListingStage.choices)
    on = models.DateField(_("日期"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("阶段记录")
        verbose_name_plural = _("阶段记录")
        constraints = [models.UniqueConstraint(fields=["candidate", "stage"], name="programs_stage_once")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.stage}"


class ListingService(models.Model):
    """A service delivered to a candidate along the way (政策辅导, 融资对接, 协调解决问题…)."""

    candidate = models.ForeignKey(
        ListingCandidate, verbose_name=_("上市后备企业"), on_delete=models.CASCADE, related_name="services"
    )
    kind = models.CharField(_("服务类型"), max_length=14, choices=ServiceKind.choices)
    on = models.DateField(_("日期"))
    stage = models.CharField(_("所处阶段"), max_length=10, choices=ListingStage.choices)
    description = models.CharField(_("服务内容"), max_length=500)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("上市服务")
        verbose_name_plural = _("上市服务")

    def __str__(self) -> str:
        return self.description[:40]
