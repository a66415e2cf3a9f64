"""Surveys (问卷调查): a survey, its frozen versions, its target enterprises, responses and receipts.

The structure (sections → questions, each with a stable item code) is JSON checked by ``structure.py``.
Anonymity (see docs/guide/surveys.md, "匿名设计"): a response of an anonymous survey carries no enterprise, no
user, no timestamp and a random UUID key; which enterprises answered is kept apart in ``Receipt`` as a keyed
hash (HMAC with the blind-index key of qinqing.core.crypto, kept outside the database), so no column joins a
receipt to a response.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel

from .choices import Audience, Source, Status


class Survey(TimeStampedModel):
    """A questionnaire owned by an FIC node; ``structure`` is the current (editable) structure."""

    fic = models.ForeignKey("orgs.Organization", verbose_name=_("发起单位"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    template = models.CharField(_("模板"), max_length=30, blank=True)
    structure = models.JSONField(_("问卷结构"), default=dict)
    # Item code → its fixed position in Response.codes (append-only, so every version shares positions).
    slots = models.JSONField(_("编码位置"), default=dict)
    version = models.PositiveIntegerField(_("当前版本"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    multiple = models.BooleanField(_("允许同一企业多次填写"), default=False)
    audience = models.CharField(_("对象"), max_length=10, choices=Audience.choices, default=Audience.RULE)
    rule = models.JSONField(_("对象条件"), default=dict, blank=True)
    link_token = models.CharField(_("开放链接令牌"), max_length=32, blank=True, db_index=True)
    opened_on = models.DateField(_("开始日期"), null=True, blank=True, db_index=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class SurveyVersion(models.Model):
    """A frozen structure: made when the survey opens, and again when it changes after responses exist."""

    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    structure = models.JSONField(_("问卷结构"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["survey_id", "number"]
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id} v{self.number}"


class SurveyTarget(models.Model):
    """One enterprise of the survey's target set (chosen with the eligibility rule when it opens)."""

    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the survey's
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("催填时间"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("催填次数"), default=0)

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = _("调查对象")
        verbose_name_plural = _("调查对象")
        constraints = [models.UniqueConstraint(fields=["survey", "enterprise"], name="survey_target_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.enterprise_id}"


class Response(models.Model):
    """One answered questionnaire. Respondent attributes are copied at answer time for cross-tabs.

    ``codes`` holds every single-choice and scale answer as one character at the item's slot (see
    answers.encode), so results and cross-tabs read a short string per response instead of the JSON.
    For an anonymous survey ``enterprise``, ``submitted_by`` and ``submitted_on`` stay empty and
    ``edit_key`` (a keyed hash in another domain than the receipt's) lets the respondent edit it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="responses")
    version = models.PositiveIntegerField(_("版本号"))
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the survey's
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_on = models.DateField(_("填写日期"), null=True, blank=True)
    edit_key = models.CharField(_("修改凭据"), max_length=64, blank=True, db_index=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    industry = models.CharField(_("行业门类"), max_length=1, blank=True)
    size_class = models.CharField(_("企业规模"), max_length=4, blank=True)
    is_member = models.BooleanField(_("会员"), default=False)
    targeted = models.BooleanField(_("调查对象"), default=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    answers = models.JSONField(_("答案"), default=dict)
    codes = models.TextField(_("编码答案"), blank=True)

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self) -> str:
        return str(self.id)


class AnswerValue(models.Model):
    """One answer kept column-wise for results and the export: an option chosen in a multiple-choice or ranking
    item (``position`` its place in the answer: the rank for a ranking), a number, or a text.

    Written with its response by the answering action (answers.values), so results and exports never extract
    items from the JSON ``answers``. Like the response, it carries no respondent and a random key: no sequence
    orders its rows by time (the audit log of who answered could otherwise be lined up with them).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: (survey, item) leads with it (core.schema_ops).
    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    response = models.ForeignKey(Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="values")
    item = models.CharField(_("题目编码"), max_length=20)
    position = models.PositiveSmallIntegerField(_("位置"), default=0)
    option = models.IntegerField(_("选项"), null=True, blank=True)
    number = models.FloatField(_("数值"), null=True, blank=True)
    text = models.TextField(_("文本"), blank=True)

    class Meta:
        ordering = ["response_id", "item", "position"]
        verbose_name = _("答案值")
        verbose_name_plural = _("答案值")
        indexes = [models.Index(fields=["survey", "item"], name="survey_value_item")]

    def __str__(self) -> str:
        return f"{self.item}#{self.position}"


class Receipt(models.Model):
    """That an enterprise has answered an anonymous survey: only a keyed hash, no time, no link to a response."""

    token = models.CharField(_("回执"), max_length=64, primary_key=True)
    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="receipts")

    class Meta:
        ordering = ["survey_id", "token"]
        verbose_name = _("填写回执")
        verbose_name_plural = _("填写回执")

    def __str__(self) -> str:
        return self.token[:12]
