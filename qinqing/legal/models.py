"""Legal check-ups (法治体检): the 万所联万会 links of law firms to chambers, the versioned questionnaire, the
check-ups themselves (request → lawyer and visit → self-check and the lawyer's answers → risk points and the
法律风险评估报告 → 整改 and the lawyer's follow-up call), staff-planned rounds, and legal talks.

Every check-up carries its enterprise's ``org_path`` (the FIC subtree that sees it) and the questionnaire version
it was answered on: a new version never changes an old report's questions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import EncryptedCharField
from qinqing.core.models import TimeStampedModel

from .choices import Answer, FollowStatus, Level, Service, Source, Status

ORG = "orgs.Organization"


class FirmLink(TimeStampedModel):
    """One 万所联万会 link: a law firm serves a chamber for a term, with named lawyers and promised services."""

    law_firm = models.ForeignKey(ORG, verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="+")
    chamber = models.ForeignKey(ORG, verbose_name=_("商会"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the chamber's
    lawyers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("联点律师"), blank=True, related_name="legal_links"
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    services = models.JSONField(_("服务内容"), default=list)
    # Promised numbers over the term, per service code ({"checkup": 10, "talk": 2}); a service without a number
    # is promised without a count. Delivered is counted from the records (delivery.py).
    targets = models.JSONField(_("承诺服务数量"), default=dict, blank=True)
    services_note = models.CharField(_("服务承诺说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("所会联系")
        verbose_name_plural = _("所会联系")

    def __str__(self) -> str:
        return f"{self.law_firm} ↔ {self.chamber}"


class LinkService(TimeStampedModel):
    """A service a linked law firm delivered under a 万所联万会 link other than check-ups and talks (which are
    counted from their own records): a consultation, a contract review, a mediation, a rights case."""

    link = models.ForeignKey(FirmLink, verbose_name=_("所会联系"), on_delete=models.CASCADE, related_name="deliveries")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the link's (the chamber's)
    service = models.CharField(_("服务类型"), max_length=12, choices=Service.choices)
    delivered_on = models.DateField(_("服务日期"), db_index=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("服务企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    summary = models.CharField(_("服务情况"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("所会服务记录")
        verbose_name_plural = _("所会服务记录")

    def __str__(self) -> str:
        return f"{self.link_id} {self.service} {self.delivered_on}"


class QuestionnaireVersion(TimeStampedModel):
    """One version of the check-up questionnaire; a draft is edited, a published version is frozen."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    title = models.CharField(_("名称"), max_length=100)
    note = models.CharField(_("修订说明"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    is_current = models.BooleanField(_("当前版本"), default=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("体检问卷版本")
        verbose_name_plural = _("体检问卷版本")

    def __str__(self) -> str:
        return f"V{self.number} {self.title}"


class Area(models.Model):
    """An area of one questionnaire version (公司治理, 合同管理, …); ``code`` stays the same across versions."""

    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("问卷版本"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.SlugField(_("编码"), max_length=20)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["version_id", "order", "id"]
        verbose_name = _("体检领域")
        verbose_name_plural = _("体检领域")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="legal_area_code_once")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("领域"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("问题"), max_length=300)
    hint = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["area__order", "order", "id"]
        verbose_name = _("体检问题")
        verbose_name_plural = _("体检问题")

    def __str__(self) -> str:
        return self.text[:40]


class CheckupRound(TimeStampedModel):
    """A round of check-ups an FIC plans for a list of enterprises (e.g. 2026年度民营企业法治体检)."""

    title = models.CharField(_("名称"), max_length=100)
    fic = models.ForeignKey(ORG, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    planned_on = models.DateField(_("计划走访日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("体检批次")
        verbose_name_plural = _("体检批次")

    def __str__(self) -> str:
        return self.title


class Checkup(TimeStampedModel):
    """One enterprise's 法治体检, from the request to the report and the follow-up call."""

    number = models.CharField(_("体检编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="legal_checkups"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the enterprise's FIC
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.ENTERPRISE)
    chamber = models.ForeignKey(
        ORG, verbose_name=_("商会"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    round = models.ForeignKey(
        CheckupRound, verbose_name=_("体检批次"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="checkups",
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED,
                              db_index=True)  # fmt: skip
    requested_on = models.DateField(_("申请日期"), db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_note = models.CharField(_("体检需求说明"), max_length=500, blank=True)
    contact_name = EncryptedCharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("问卷版本"), on_delete=models.PROTECT, related_name="checkups"
    )
    link = models.ForeignKey(
        FirmLink, verbose_name=_("所会联系"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    law_firm = models.ForeignKey(
        ORG, verbose_name=_("律师事务所"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("体检律师"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="legal_checkups",
    )  # fmt: skip
    visit_on = models.DateField(_("预约走访日期"), null=True, blank=True, db_index=True)
    self_checked_on = models.DateField(_("自查完成日期"), null=True, blank=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True, db_index=True)
    visit_note = models.TextField(_("走访记录"), blank=True)
    report_summary = models.TextField(_("总体评价"), blank=True)
    report_on = models.DateField(_("报告日期"), null=True, blank=True, db_index=True)
    followup_due = models.DateField(_("回访期限"), null=True, blank=True, db_index=True)
    followup_reminded_on = models.DateField(_("回访提醒日期"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("法治体检")
        verbose_name_plural = _("法治体检")
        indexes = [models.Index(fields=["org_path", "visited_on"]), models.Index(fields=["lawyer", "status"])]

    def __str__(self) -> str:
        return self.number


class CheckupAnswer(models.Model):
    """One question of a check-up: the enterprise's self-check answer and the lawyer's finding in the visit."""

    checkup = models.ForeignKey(Checkup, verbose_name=_("法治体检"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="+")
    self_answer = models.CharField(_("企业自查"), max_length=8, choices=Answer.choices, blank=True)
    self_note = models.CharField(_("企业说明"), max_length=500, blank=True)
    lawyer_answer = models.CharField(_("律师核查"), max_length=8, choices=Answer.choices, blank=True)
    lawyer_note = models.CharField(_("律师意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["question__area__order", "question__order", "question_id"]
        verbose_name = _("体检答卷")
        verbose_name_plural = _("体检答卷")
        constraints = [models.UniqueConstraint(fields=["checkup", "question"], name="legal_answer_once")]

    def __str__(self) -> str:
        return f"{self.checkup_id}:{self.question_id}"


class RiskPoint(TimeStampedModel):
    """A risk the lawyer found: area, level (红/橙/黄), facts, the recommendation and the enterprise's 整改."""

    checkup = models.ForeignKey(Checkup, verbose_name=_("法治体检"), on_delete=models.CASCADE, related_name="risks")
    area = models.ForeignKey(Area, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("风险等级"), max_length=8, choices=Level.choices, db_index=True)
    facts = models.TextField(_("风险事实"))
    recommendation = models.TextField(_("整改建议"))
    follow_status = models.CharField(_("整改情况"), max_length=10, choices=FollowStatus.choices,
                                     default=FollowStatus.PENDING, db_index=True)  # fmt: skip
    follow_reason = models.CharField(_("不整改理由/整改说明"), max_length=500, blank=True)
    follow_on = models.DateField(_("反馈日期"), null=True, blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("转办诉求"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["checkup_id", "id"]
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")

    def __str__(self) -> str:
        return self.facts[:40]


class FollowUpCall(TimeStampedModel):
    """The lawyer's follow-up call (回访) after the report."""

    checkup = models.ForeignKey(Checkup, verbose_name=_("法治体检"), on_delete=models.CASCADE, related_name="calls")
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访律师"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    called_on = models.DateField(_("回访日期"), db_index=True)
    summary = models.TextField(_("回访情况"))

    class Meta:
        ordering = ["-called_on", "-id"]
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")

    def __str__(self) -> str:
        return f"{self.checkup_id} {self.called_on}"


class LegalTalk(TimeStampedModel):
    """A legal talk or training (法律讲座/培训) with its attendance."""

    date = models.DateField(_("日期"), db_index=True)
    topic = models.CharField(_("主题"), max_length=200)
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("主讲律师"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    law_firm = models.ForeignKey(
        ORG, verbose_name=_("律师事务所"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chamber = models.ForeignKey(
        ORG, verbose_name=_("商会"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organiser = models.ForeignKey(ORG, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    attendees = models.PositiveIntegerField(_("参加人数"))
    enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("参加企业"), blank=True, related_name="legal_talks"
    )
    # The activity (activities app) this talk is, when it was also run there: that activity is then not counted
    # again as a legal talk of its own (activity_talks.py).
    activity = models.OneToOneField(
        "activities.Activity", verbose_name=_("对应活动"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="legal_talk",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("法律讲座")
        verbose_name_plural = _("法律讲座")

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"
