"""亲清日志: officials' contacts with entrepreneurs, their gifts and the matters raised, and the negative list
(负面清单) whose rules flag an entry for the 纪检监督 reviewer.

An entry belongs to the official who logged it and to that official's unit (org, org_path); who may read it is
narrower than the subtree (see permissions). Flags are computed by the pure ``rules`` module when an entry is
saved and kept on the entry (``flags``), so the reviewer sees what matched even after the list changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel

from .choices import Conclusion, Organiser, Payer, Purpose, ReviewStatus, Vehicle, Venue

MONEY = {"max_digits": 12, "decimal_places": 2}


class ConductItem(TimeStampedModel):
    """One item of the negative list (礼品礼金, 宴请, 私人会所…): a name, what it covers, and the rule flagging it."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    rule = models.CharField(_("自动标记规则"), max_length=40, blank=True)
    threshold = models.DecimalField(_("门槛（元）"), null=True, blank=True, **MONEY)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("负面清单条目")
        verbose_name_plural = _("负面清单")

    def __str__(self) -> str:
        return self.name


class ContactEntry(TimeStampedModel):
    """One contact between officials and entrepreneurs, logged by one official."""

    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey("orgs.Organization", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    date = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200)
    venue = models.CharField(_("场所类型"), max_length=16, choices=Venue.choices)
    purpose = models.CharField(_("事由"), max_length=12, choices=Purpose.choices)
    purpose_text = models.CharField(_("事由说明"), max_length=300, blank=True)
    organiser = models.CharField(_("组织方"), max_length=12, choices=Organiser.choices)
    organiser_name = models.CharField(_("组织方名称"), max_length=100, blank=True)
    officials = models.CharField(_("参加公职人员"), max_length=300, blank=True)
    entrepreneurs = models.CharField(_("参加企业家"), max_length=300, blank=True)
    enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("参加企业"), related_name="+", blank=True
    )
    had_meal = models.BooleanField(_("是否用餐"), default=False)
    meal_standard = models.DecimalField(_("用餐标准（元/人）"), null=True, blank=True, **MONEY)
    meal_paid_by = models.CharField(_("用餐支付方"), max_length=12, choices=Payer.choices, blank=True)
    vehicle = models.CharField(_("交通工具"), max_length=12, choices=Vehicle.choices)
    costs_paid_by = models.CharField(_("费用承担方"), max_length=12, choices=Payer.choices, default=Payer.NONE)
    enterprise_celebration = models.BooleanField(_("是否为企业庆典"), default=False)
    involves_bidding = models.BooleanField(_("是否涉及招投标/采购事项"), default=False)
    note = models.TextField(_("备注"), blank=True)
    flags = models.JSONField(_("触发的负面清单"), default=list, blank=True)
    is_flagged = models.BooleanField(_("已标记"), default=False, db_index=True)
    review_status = models.CharField(
        _("审查状态"), max_length=10, choices=ReviewStatus.choices, blank=True, default=ReviewStatus.NONE, db_index=True
    )
    conclusion = models.CharField(_("审查结论"), max_length=10, choices=Conclusion.choices, blank=True)
    conclusion_text = models.TextField(_("审查意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审查日期"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("亲清日志")
        verbose_name_plural = _("亲清日志")

    def __str__(self) -> str:
        return f"{self.date} {self.get_purpose_display()} {self.place}"[:100]


class Gift(TimeStampedModel):
    """A gift (礼品礼金) offered at a contact: what, its value, and whether it was returned."""

    entry = models.ForeignKey(ContactEntry, verbose_name=_("亲清日志"), on_delete=models.CASCADE, related_name="gifts")
    description = models.CharField(_("礼品"), max_length=100)
    value = models.DecimalField(_("价值（元）"), **MONEY)
    returned = models.BooleanField(_("是否退还"), default=False)
    handling = models.CharField(_("处理情况"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("礼品礼金")
        verbose_name_plural = _("礼品礼金")

    def __str__(self) -> str:
        return self.description


class Matter(TimeStampedModel):
    """A matter an entrepreneur raised at the contact; may become an appeal (诉求) in one step."""

    entry = models.ForeignKey(
        ContactEntry, verbose_name=_("亲清日志"), on_delete=models.CASCADE, related_name="matters"
    )
    text = models.CharField(_("反映事项"), max_length=500)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("反映企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    department = models.ForeignKey(
        "orgs.Organization", verbose_name=_("建议承办单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("转办诉求"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    appealed_on = models.DateField(_("转诉求日期"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("反映事项")
        verbose_name_plural = _("反映事项")

    def __str__(self) -> str:
        return self.text[:40]
