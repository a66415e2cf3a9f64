"""Appeals (企业诉求): classification, deadline rules, the appeal itself, its history and extensions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import EncryptedCharField
from qinqing.core.models import TimeStampedModel
from qinqing.core.rollups import RolledUpModel

from . import workflow as wf


class Channel(models.TextChoices):
    ONLINE = "online", _("企业网上提交")
    HOTLINE = "hotline", _("热线电话")
    VISIT = "visit", _("走访")
    CHAMBER = "chamber", _("商会报送")
    MEETING = "meeting", _("恳谈会")
    TRANSFER = "transfer", _("12345转办")
    SURVEY = "survey", _("问卷调查")


class AppealType(TimeStampedModel):
    """诉求类型 (投诉维权 / 协调帮助 / 情况反映 / 个案咨询), editable by administrators."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("诉求类型")
        verbose_name_plural = _("诉求类型")

    def __str__(self) -> str:
        return self.name


class AppealDomain(TimeStampedModel):
    """诉求领域 (融资, 用工, 用地, 审批…), editable by administrators."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("诉求领域")
        verbose_name_plural = _("诉求领域")

    def __str__(self) -> str:
        return self.name


class DeadlineRule(TimeStampedModel):
    """Per-deployment time limits in working days; type/domain left empty means 'any'."""

    appeal_type = models.ForeignKey(
        AppealType, verbose_name=_("诉求类型"), null=True, blank=True, on_delete=models.CASCADE
    )
    domain = models.ForeignKey(
        AppealDomain, verbose_name=_("诉求领域"), null=True, blank=True, on_delete=models.CASCADE
    )
    accept_days = models.PositiveSmallIntegerField(_("受理时限（工作日）"), default=3)
    contact_days = models.PositiveSmallIntegerField(_("首次联系时限（工作日）"), default=3)
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=5)
    warn_days = models.PositiveSmallIntegerField(_("提前预警（工作日）"), default=1)
    supervise_after = models.PositiveSmallIntegerField(_("超期几个工作日后督办"), default=2)
    # The FIC's own steps: dispatch after acceptance (or after a 退回) and the callback after the reply.
    dispatch_days = models.PositiveSmallIntegerField(_("交办时限（受理后，工作日）"), default=2)
    callback_days = models.PositiveSmallIntegerField(_("回访时限（答复后，工作日）"), default=3)

    class Meta:
        ordering = ["appeal_type", "domain"]
        verbose_name = _("办理时限规则")
        verbose_name_plural = _("办理时限规则")
        constraints = [
            models.UniqueConstraint(fields=["appeal_type", "domain"], name="appeals_rule_unique_scope"),
        ]

    def __str__(self) -> str:
        return gettext("%(type)s × %(domain)s") % {
            "type": self.appeal_type or gettext("全部类型"),
            "domain": self.domain or gettext("全部领域"),
        }


STATUS_CHOICES = list(wf.STATE_LABELS.items())
SATISFACTION_CHOICES = list(wf.SATISFACTION_LABELS.items())


class Appeal(RolledUpModel, TimeStampedModel):
    """One enterprise appeal, followed by its number from registration to a rated close.

    Its figures are kept in ``AppealRollup`` by ``save()``/``delete()`` in the same transaction (rollups.py)."""

    number = models.CharField(_("诉求编号"), max_length=20, unique=True)
    # No index of its own: appeal_ent_date (enterprise, registered_on) leads with it (core.schema_ops).
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="appeals", db_index=False
    )
    # A copy of the enterprise's name for the searched list (no join to 3 M enterprises for its count); kept by
    # database triggers on both tables (enterprise_name.py, migration 0012), never written by the code.
    enterprise_name = models.CharField(_("企业名称"), max_length=200, default="", db_default="", editable=False)
    fic = models.ForeignKey(
        "orgs.Organization", verbose_name=_("受理工商联"), on_delete=models.PROTECT, related_name="appeals"
    )
    org_path = models.CharField(_("组织路径"), max_length=255)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    appeal_type = models.ForeignKey(AppealType, verbose_name=_("诉求类型"), on_delete=models.PROTECT)
    domain = models.ForeignKey(AppealDomain, verbose_name=_("诉求领域"), on_delete=models.PROTECT)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("诉求内容"))
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    # Sealed with SM4 at rest (qinqing.core.crypto); read and written as plain text by the code.
    contact_phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=STATUS_CHOICES, default=wf.REGISTERED)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chamber = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("报送商会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_appeals",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("恳谈会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    solved_on_spot = models.BooleanField(_("现场解决"), default=False)
    # No index of its own: appeal_dept_newest and appeal_dept_status lead with it (core.schema_ops).
    lead_department = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_appeals",
        db_index=False,
    )
    co_departments = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("协办单位"), blank=True, related_name="co_appeals"
    )
    # Deadlines: rule values copied when the clock starts.
    accept_days = models.PositiveSmallIntegerField(_("受理时限"), default=3)
    contact_days = models.PositiveSmallIntegerField(_("首次联系时限"), default=3)
    reply_days = models.PositiveSmallIntegerField(_("答复时限"), default=5)
    warn_days = models.PositiveSmallIntegerField(_("预警天数"), default=1)
    supervise_after = models.PositiveSmallIntegerField(_("督办天数"), default=2)
    dispatch_days = models.PositiveSmallIntegerField(_("交办时限"), default=2)
    callback_days = models.PositiveSmallIntegerField(_("回访时限"), default=3)
    registered_on = models.DateField(_("登记日期"))
    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    contact_due = models.DateField(_("首次联系期限"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    dispatch_due = models.DateField(_("交办期限"), null=True, blank=True)
    callback_due = models.DateField(_("回访期限"), null=True, blank=True)
    # The *_due fields above that fall in a year without the State Council's official schedule (computed
    # on the provisional statutory calendar): shown as 暂定, recomputed when the notice is entered.
    provisional_dues = models.JSONField(_("暂定期限"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    contacted_on_time = models.BooleanField(_("按时联系"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    is_paused = models.BooleanField(_("等待企业补充材料"), default=False)
    paused_on = models.DateField(_("暂停日期"), null=True, blank=True)
    deadline_state = models.CharField(_("时限状态"), max_length=10, default="ok")
    escalation = models.PositiveSmallIntegerField(_("督催级别"), default=0)  # 0, 1 催办, 2 督办
    ever_overdue = models.BooleanField(_("曾超期"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("累计延期（工作日）"), default=0)
    rehandle_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    reject_reason = models.CharField(_("不予受理理由"), max_length=500, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True, choices=SATISFACTION_CHOICES)
    solved = models.BooleanField(_("实际解决"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    related = models.ManyToManyField("self", verbose_name=_("关联诉求"), blank=True, symmetrical=True)
    # The submitting form's hidden key or the API's Idempotency-Key header: a double click or a retried
    # request with the same key from the same person returns the appeal already made.
    submission_key = models.CharField(_("提交标识"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        constraints = [
            models.UniqueConstraint(
                fields=["reported_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="appeal_unique_submission",
            ),
        ]
        indexes = [
            # Staff list: scope by path prefix, filter by status, newest first.
            models.Index(fields=["org_path", "status", "-registered_on", "-id"], name="appeal_scope_status"),
            models.Index(fields=["org_path", "-registered_on", "-id"], name="appeal_scope_date"),
            models.Index(fields=["lead_department", "status"], name="appeal_dept_status"),
            # A department officer's list (lead_department = its own, newest first): the page's 30 ids in index
            # order, instead of sorting every appeal the department ever led (479 ms under load at the province).
            models.Index(fields=["lead_department", "-registered_on", "-id"], name="appeal_dept_newest"),
            models.Index(fields=["enterprise", "-registered_on"], name="appeal_ent_date"),
            models.Index(fields=["deadline_state", "status"], name="appeal_deadline"),
            # PostgreSQL: `org_path LIKE '/…/%'` (the tree scope) can use a btree index only with
            # pattern ops under a non-C collation; SQLite ignores opclasses.
            models.Index(fields=["org_path"], name="appeal_scope_like", opclasses=["varchar_pattern_ops"]),
            # Newest first across a large scope (a city's whole tree): walk this index, filter the path.
            models.Index(fields=["-registered_on", "-id"], name="appeal_newest"),
            # The same for the open appeals alone (办理中, a tenth of the table): a deep page of a county's open
            # appeals walks this small index in order instead of sorting every open appeal of the scope.
            models.Index(
                fields=["-registered_on", "-id"], name="appeal_open_newest", condition=Q(status__in=wf.OPEN_LIST)
            ),
            # The 临期/超期 boards (a few thousand of a million): newest first without sorting them all.
            models.Index(
                fields=["-registered_on", "-id"],
                name="appeal_open_late",
                condition=Q(status__in=wf.OPEN_LIST, deadline_state__in=["overdue", "warning"]),
            ),
            # Their capped counts (CappedPaginator) from these alone: index-only over the scope's open or late rows.
            models.Index(
                fields=["org_path"],
                name="appeal_open_scope",
                opclasses=["varchar_pattern_ops"],
                condition=Q(status__in=wf.OPEN_LIST),
            ),
            models.Index(
                fields=["org_path", "deadline_state"],
                name="appeal_late_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                condition=Q(status__in=wf.OPEN_LIST, deadline_state__in=["overdue", "warning"]),
            ),
            models.Index(
                fields=["org_path", "status"],
                name="appeal_scope_status_like",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def status_label(self) -> str:
        return str(wf.STATE_LABELS.get(self.status, self.status))  # plain text: exports write it as is

    def save(self, *args, **kwargs):
        """Keep ``provisional_dues`` in step with the deadline fields on every save that writes them."""
        from .sla import DUE_FIELDS, provisional_dues

        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(DUE_FIELDS):
            self.provisional_dues = provisional_dues(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "provisional_dues"}
        super().save(*args, **kwargs)

    @property
    def current_due_provisional(self) -> bool:
        """Whether the deadline now running was computed on a provisional year (shown as 暂定)."""
        due = self.current_due
        return due is not None and any(getattr(self, f, None) == due for f in self.provisional_dues or ())

    @property
    def current_due(self):
        if self.status == wf.REGISTERED:
            return self.accept_due
        if self.status == wf.ACCEPTED:
            return self.dispatch_due
        if self.status == wf.REPLIED:
            return self.callback_due
        if self.status == wf.ASSIGNED:
            return self.contact_due if self.contacted_at is None else self.reply_due
        if self.status == wf.CONTACTED:
            return self.reply_due
        return None

    @property
    def holder(self) -> str:
        if self.status in wf.HANDLING_STATES and self.lead_department_id:
            return self.lead_department.name
        if self.status in (wf.REGISTERED, wf.ACCEPTED, wf.REPLIED):
            return self.fic.name
        return ""


class AppealEvent(models.Model):
    """One step in an appeal's history: who, when, what, with a comment (shown on the tracking page)."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30)
    label = models.CharField(_("操作名称"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    actor_org = models.CharField(_("操作单位"), max_length=100, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("企业可见"), default=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.label}"


def attachment_path(instance, filename: str) -> str:
    return f"appeals/{instance.appeal_id}/{filename}"


class AppealAttachment(TimeStampedModel):
    """A file attached to an appeal (photos, contracts) by the enterprise or staff."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class ExtensionRequest(TimeStampedModel):
    """申请延期: asked by the department before the deadline, decided by FIC staff; the reason is shown
    to the enterprise."""

    PENDING, APPROVED, REFUSED, CANCELLED = "pending", "approved", "refused", "cancelled"
    # 已撤销: the appeal left the requesting department (退回, 重办, 合并) before anyone decided.
    STATUS = [(PENDING, _("待审批")), (APPROVED, _("已同意")), (REFUSED, _("不同意")), (CANCELLED, _("已撤销"))]

    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延期工作日"))
    reason = models.CharField(_("延期理由"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=STATUS, default=PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    old_due = models.DateField(_("原期限"), null=True, blank=True)
    new_due = models.DateField(_("新期限"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.days}"


# The rollup tables live in rollup_tables.py; imported here so the app registers them and callers keep one import.
from .rollup_tables import (  # noqa: E402
    NOT_WAITING,
    AppealCounts,
    AppealDepartmentRollup,
    AppealMonthRollup,
    AppealRollup,
)

__all__ = ["NOT_WAITING", "AppealCounts", "AppealDepartmentRollup", "AppealMonthRollup", "AppealRollup"]
