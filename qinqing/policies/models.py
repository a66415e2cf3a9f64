"""Policies (政策), their attachments, stored matching results and pushes to enterprises."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel
from qinqing.core.rollups import RolledUpModel

from .choices import ApplicationMethod, BenefitType, Level, PublishState, Status


def status_of(effective_on: datetime.date | None, expires_on: datetime.date | None, today: datetime.date) -> str:
    if effective_on is not None and effective_on > today:
        return Status.UPCOMING
    if expires_on is not None and expires_on < today:
        return Status.EXPIRED
    return Status.ACTIVE


def status_q(status: str, today: datetime.date) -> Q:
    """The same rule as status_of(), as a filter."""
    upcoming = Q(effective_on__gt=today)
    expired = Q(expires_on__lt=today)
    if status == Status.UPCOMING:
        return upcoming
    if status == Status.EXPIRED:
        return expired & ~upcoming
    return ~upcoming & ~expired


def _choice_label(choices, value) -> str:
    """What get_FOO_display() answers: the label in the active language, else the stored value itself."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


class Policy(TimeStampedModel):
    """A policy in the supermarket, with its eligibility rule tree (see rules.py).

    ``org_path`` is the FIC node that owns the policy: it is edited from that node's subtree and applies to
    the enterprises in it. ``search_text`` holds the segmented title, text and issuer (space-separated
    words), kept current by the actions; the full-text index is built over it (see search.py).
    """

    title = models.CharField(_("政策名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("发布部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_policies",
    )
    issuer_name = models.CharField(_("发布机关"), max_length=100, blank=True, help_text=_("不在本系统中的发布机关"))
    level = models.CharField(_("政策层级"), max_length=16, choices=Level.choices, db_index=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    expires_on = models.DateField(_("截止日期"), null=True, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("政策全文"), blank=True)
    benefit_type = models.CharField(_("扶持类型"), max_length=16, choices=BenefitType.choices, db_index=True)
    application_method = models.CharField(
        _("兑现方式"), max_length=16, choices=ApplicationMethod.choices, default=ApplicationMethod.APPLY
    )
    contact = models.CharField(_("咨询电话/联系人"), max_length=200, blank=True)
    rule = models.JSONField(_("申报条件"), default=dict, blank=True)
    auto_push = models.BooleanField(
        _("自动推送新符合条件的企业"),
        default=True,
        help_text=_("政策发布并生效后，每家新符合条件的企业自动收到一次推送；不勾选则由工作人员手动推送"),
    )
    state = models.CharField(
        _("发布状态"), max_length=16, choices=PublishState.choices, default=PublishState.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属工商联"), on_delete=models.PROTECT, related_name="policies"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    search_text = models.TextField(_("分词文本"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        # The search index relies on it: state = v is answered as "none of the other states" (search_index).
        constraints = [models.CheckConstraint(condition=Q(state__in=PublishState.values), name="policy_state_known")]

    def __str__(self) -> str:
        return self.title

    # The tags of every search result row. Django's generic get_FOO_display() hashes the field's whole choice
    # list on each call, and hashing a lazy label translates it: 20 rows × 2–3 tags cost 0.5 ms of a 5 ms search.
    def get_level_display(self) -> str:
        return _choice_label(Level, self.level)

    def get_benefit_type_display(self) -> str:
        return _choice_label(BenefitType, self.benefit_type)

    def get_state_display(self) -> str:
        return _choice_label(PublishState, self.state)

    @property
    def issuer_display(self) -> str:
        return self.issuer.name if self.issuer_id else self.issuer_name

    @property
    def status(self) -> str:
        return status_of(self.effective_on, self.expires_on, timezone.localdate())

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_automatic(self) -> bool:
        return self.application_method == ApplicationMethod.AUTOMATIC


class PolicyAttachment(TimeStampedModel):
    """A file attached to a policy (application form, original document).

    Files are never served from /media/: they are downloaded through a view that checks the policy's
    visibility (views.attachment_download). ``text`` is what attachments.extract_text found in the file; it is
    part of the policy's search text.
    """

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="policies/%Y/")
    filename = models.CharField(_("原文件名"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    text = models.TextField(_("附件文字"), blank=True, editable=False)

    class Meta:
        ordering = ["policy", "id"]
        verbose_name = _("政策附件")
        verbose_name_plural = _("政策附件")

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The original file name (the stored one is made unique by the storage)."""
        return self.filename or self.file.name.rsplit("/", 1)[-1]


class PolicyMatch(TimeStampedModel):
    """The enterprises eligible for one policy within one scope, as a compact sorted id set (idsets.py).

    One row per policy per scope: 16 million eligible pairs are 500 rows, not 16 million.
    """

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="matches")
    scope_path = models.CharField(_("匹配范围"), max_length=255, db_index=True)
    ids = models.BinaryField(_("符合条件的企业"))
    count = models.PositiveIntegerField(_("符合条件企业数"), default=0)
    # idsets.digest of the ids: a re-run compares it with the new set's instead of fetching and decoding the blob.
    # Every writer of ids writes it too; empty (rows from before, other writers) means "compare the ids themselves".
    ids_digest = models.BinaryField(_("企业集合摘要"), blank=True, default=b"", db_default=b"")
    matched_at = models.DateTimeField(_("匹配时间"), default=timezone.now)

    class Meta:
        ordering = ["policy", "scope_path"]
        verbose_name = _("政策匹配结果")
        verbose_name_plural = _("政策匹配结果")
        constraints = [models.UniqueConstraint(fields=["policy", "scope_path"], name="policies_match_one_per_scope")]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.scope_path} {self.count}"


class PolicyPush(RolledUpModel, TimeStampedModel):
    """A policy brought to one enterprise's attention, once (unique per policy and enterprise).

    Counted in rollups (rollups.py): per day and path (sent, opened) by ``RolledUpModel``, and the enterprises
    reached per subtree, kept here for a single row's save or delete; the bulk writers call rollups.py."""

    # No index of its own: the unique (policy, enterprise) leads with it (migration 0009, core.schema_ops).
    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="pushes", db_index=False
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="policy_pushes"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    opened_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策推送")
        verbose_name_plural = _("政策推送")
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], name="policies_push_once")]

    def __str__(self) -> str:
        return f"{self.policy_id} → {self.enterprise_id}"

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and not {"enterprise", "enterprise_id", "org_path"} & set(fields):
            return super().save(*args, **kwargs)
        from django.db import transaction

        from . import rollups

        with transaction.atomic():
            ids = {self.enterprise_id}
            if self.pk is not None:
                ids |= set(PolicyPush._base_manager.filter(pk=self.pk).values_list("enterprise_id", flat=True))
            reach = rollups.ReachChange(ids)
            result = super().save(*args, **kwargs)
            reach.done()
        return result

    def delete(self, *args, **kwargs):
        from django.db import transaction

        from . import rollups

        with transaction.atomic():
            reach = rollups.ReachChange([self.enterprise_id])
            result = super().delete(*args, **kwargs)
            reach.done()
        return result


class PushCounts(models.Model):
    """Pushes per day (or month: ``day`` its 1st) of sending — created_at's local day — × organisation path:
    ``sent`` every push, ``opened`` those the enterprise has opened (rollups.PUSHES)."""

    day = models.DateField(_("推送日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    sent = models.IntegerField(_("推送次数"), default=0)
    opened = models.IntegerField(_("已查看次数"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.sent}/{self.opened}"


def _rollup_meta(verbose, key: str) -> type:
    """A rollup table's Meta: its unique key and a subtree × day index (pattern ops: ``LIKE 'prefix%'``)."""

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = verbose
        verbose_name_plural = verbose
        constraints = [models.UniqueConstraint(fields=["day", "org_path"], name=f"{key}_key")]
        indexes = [
            models.Index(fields=["org_path", "day"], name=f"{key}_scope", opclasses=["varchar_pattern_ops", "date_ops"])
        ]

    return Meta


class PushRollup(PushCounts):
    Meta = _rollup_meta(_("政策推送汇总（日）"), "pol_push_day")


class PushMonthRollup(PushCounts):
    Meta = _rollup_meta(_("政策推送汇总（月）"), "pol_push_month")


class PushedEnterprise(models.Model):
    """An (enterprise, organisation path) pair that has at least one push (rollups.REACH): what makes the
    enterprises reached per subtree exact and cheap to keep. A plain id, no foreign key: rows go with the pushes,
    through rollups.py, not by cascade."""

    enterprise_id = models.BigIntegerField(_("企业"))
    org_path = models.CharField(_("组织路径"), max_length=255)

    class Meta:
        ordering = ["enterprise_id", "org_path"]
        verbose_name = _("已推送企业")
        verbose_name_plural = _("已推送企业")
        constraints = [models.UniqueConstraint(fields=["enterprise_id", "org_path"], name="pol_pushed_ent_key")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.org_path}"


class PushReach(models.Model):
    """Enterprises with at least one push under the subtree ``org_path`` (every ancestor "/a/b/" of a push's
    path): 覆盖企业 of a scope is its row, not a COUNT(DISTINCT) over millions of pushes (rollups.REACH)."""

    org_path = models.CharField(_("组织路径"), max_length=255)
    enterprises = models.IntegerField(_("覆盖企业数"), default=0)

    class Meta:
        ordering = ["org_path"]
        verbose_name = _("政策推送覆盖企业")
        verbose_name_plural = _("政策推送覆盖企业")
        constraints = [models.UniqueConstraint(fields=["org_path"], name="pol_push_reach_key")]

    def __str__(self) -> str:
        return f"{self.org_path} {self.enterprises}"


class SearchSynonym(TimeStampedModel):
    """A search word and the other words a search for it also finds (检索同义词), applied at query time by
    both search engines (search.py). One-way: 补贴 → 补助 does not make 补助 find 补贴 unless a row says so.
    Maintained by the system administrators on /policies/synonyms/."""

    term = models.CharField(_("检索词"), max_length=50, unique=True)
    synonyms = models.CharField(
        _("同时检索"), max_length=500, help_text=_("搜索该词时一并检索的词，以空格、逗号或顿号分隔")
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("检索同义词")
        verbose_name_plural = _("检索同义词")

    def __str__(self) -> str:
        return f"{self.term} → {self.synonyms}"
