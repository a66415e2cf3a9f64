"""Financing (银企对接): needs, the whitelist lists, pushes to banks, each bank's referral and its stages,
matchmaking events (对接会), bank products, refusal reasons and fix tasks.

Amounts are 万元 (Decimal, two places). A need belongs to an enterprise and its FIC (org_path); a referral
(NeedReferral) is the need as pushed to ONE bank: a bank officer sees only referrals to their institution.
"""

from django.conf import settings
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import EncryptedCharField
from qinqing.core.models import TimeStampedModel
from qinqing.core.rollups import RolledUpModel

from .choices import BatchKind, FixStatus, Guarantee, ListState, Purpose, Source, Stage

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class RefusalReason(TimeStampedModel):
    """The maintained catalogue of 未获贷 reasons."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    fixable = models.BooleanField(_("可整改"), default=False)
    department_hint = models.CharField(_("通常负责整改的部门"), max_length=50, blank=True)
    needs_text = models.BooleanField(_("须填写说明"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("未获贷原因")
        verbose_name_plural = _("未获贷原因")

    def __str__(self) -> str:
        return self.name


class BankProduct(TimeStampedModel):
    """A bank's loan product; ``rule`` is an eligibility rule of the shared engine (qinqing.eligibility)."""

    bank = models.ForeignKey(
        "orgs.Organization", verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="loan_products"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    name = models.CharField(_("产品名称"), max_length=100)
    amount_min = models.DecimalField(_("最低额度（万元）"), **AMOUNT)
    amount_max = models.DecimalField(_("最高额度（万元）"), **AMOUNT)
    term_min = models.PositiveSmallIntegerField(_("最短期限（月）"))
    term_max = models.PositiveSmallIntegerField(_("最长期限（月）"))
    rate_min = models.DecimalField(_("最低年利率（%）"), max_digits=5, decimal_places=2)
    rate_max = models.DecimalField(_("最高年利率（%）"), max_digits=5, decimal_places=2)
    guarantees = models.JSONField(_("担保方式"), default=list)
    repayment = models.CharField(_("还款方式"), max_length=100, blank=True)
    rule = models.JSONField(_("准入条件"), default=dict, blank=True)
    materials = models.TextField(_("所需材料"), blank=True)
    approval_days = models.PositiveSmallIntegerField(_("审批时限（天）"), default=15)
    is_active = models.BooleanField(_("在售"), default=True)

    class Meta:
        ordering = ["bank_id", "name"]
        verbose_name = _("信贷产品")
        verbose_name_plural = _("信贷产品")

    def __str__(self) -> str:
        return self.name


class ReachTracked(models.Model):
    """Keeps the distinct-enterprise rollup (``FinancingReach``, rollups.REACH) exact: a save that changes what
    the reach depends on (``REACH_FIELDS``: attribute names), and every delete, recomputes the enterprise's reach
    rows before and after the write in the same transaction and adds the difference."""

    REACH_FIELDS: tuple[str, ...] = ()
    ENTERPRISE: str = ""  # lookup from this model to its enterprise id

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._concerns(kwargs.get("update_fields")):
            return super().save(*args, **kwargs)
        from .rollups import REACH

        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            stored = self._stored()
            if stored is not None and tuple(stored[1:]) == tuple(getattr(self, f) for f in self.REACH_FIELDS):
                return super().save(*args, **kwargs)  # nothing the reach depends on changes
            enterprises = {self._enterprise(), stored[0] if stored else None} - {None}
            with REACH.tracking(enterprises):
                return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from .rollups import REACH

        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            stored = self._stored()
            with REACH.tracking({stored[0]} if stored else set()):
                return super().delete(*args, **kwargs)

    def _stored(self) -> tuple | None:
        """(enterprise id, *REACH_FIELDS) as stored now; None when the row is not stored."""
        if self.pk is None:
            return None
        return type(self)._default_manager.filter(pk=self.pk).values_list(self.ENTERPRISE, *self.REACH_FIELDS).first()

    def _enterprise(self):
        """The enterprise id the instance points at (through its foreign key when it has no own field)."""
        head, sep, rest = self.ENTERPRISE.partition("__")
        if not sep:
            return getattr(self, head)
        fk = self._meta.get_field(head)
        target = getattr(self, fk.attname)
        if target is None:
            return None
        return fk.related_model._default_manager.filter(pk=target).values_list(rest, flat=True).first()

    def _concerns(self, update_fields) -> bool:
        if update_fields is None:
            return True
        names = set(self.REACH_FIELDS) | {name.removesuffix("_id") for name in self.REACH_FIELDS}
        return bool(names & set(update_fields))


class FinancingNeed(ReachTracked, RolledUpModel, TimeStampedModel):
    """One enterprise's financing need (融资需求) and its place on the whitelist lists."""

    REACH_FIELDS = ("enterprise_id", "org_path", "stated_on", "source", "is_first_loan")
    ENTERPRISE = "enterprise_id"

    number = models.CharField(_("需求编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="financing_needs"
    )
    fic = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属工商联"), on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    # Denormalised from the enterprise when stated (figures by region, industry, size without joins).
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    industry_code = models.CharField(_("行业代码"), max_length=5, blank=True)
    size_class = models.CharField(_("企业规模"), max_length=4, blank=True)
    amount = models.DecimalField(_("融资金额（万元）"), **AMOUNT)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    purpose_text = models.CharField(_("用途说明"), max_length=200, blank=True)
    guarantee = models.CharField(_("担保方式"), max_length=16, choices=Guarantee.choices)
    is_first_loan = models.BooleanField(_("首贷"), default=False)
    rate_ceiling = models.DecimalField(
        _("可接受最高年利率（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    needed_by = models.DateField(_("用款时间"), null=True, blank=True)
    preferred_banks = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("意向银行"), blank=True, related_name="+"
    )
    credit_check_authorised = models.BooleanField(_("授权查询征信"), default=False)
    # Personal/financial text, sealed with SM4-GCM at rest (qinqing.core.crypto); plain text to the code.
    authorisation_note = EncryptedCharField(_("授权说明"), max_length=500, blank=True)
    contact_name = EncryptedCharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.ENTERPRISE)
    stated_on = models.DateField(_("提出日期"), db_index=True)
    list_state = models.CharField(
        _("清单状态"), max_length=16, choices=ListState.choices, default=ListState.STATED, db_index=True
    )
    screening = models.JSONField(_("白名单筛查"), default=dict, blank=True)
    screening_note = models.TextField(_("筛查意见"), blank=True)
    screened_at = models.DateTimeField(_("筛查时间"), null=True, blank=True)
    chamber = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("推荐商会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chamber_note = models.TextField(_("商会筛查意见"), blank=True)
    # The best stage reached at any bank (kept by the actions; figures and lists read it).
    stage = models.CharField(_("进展"), max_length=12, choices=Stage.choices, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-stated_on", "-id"]
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        indexes = [models.Index(fields=["org_path", "stated_on"])]

    def __str__(self) -> str:
        return self.number

    def delete(self, *args, **kwargs):
        """Its referrals and their steps go by cascade (no delete() of theirs): their rollups follow here."""
        from .rollups import cascade_tracking

        with cascade_tracking(referrals=self.referrals.all(), steps=StageEvent.objects.filter(referral__need=self)):
            return super().delete(*args, **kwargs)


class PushBatch(TimeStampedModel):
    """One batch of needs pushed to one bank (推荐清单推送, or a chamber's 整会授信 recommendation)."""

    bank = models.ForeignKey(
        "orgs.Organization", verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="+"
    )
    fic = models.ForeignKey("orgs.Organization", verbose_name=_("推送单位"), on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=BatchKind.choices, default=BatchKind.LIST)
    chamber = models.ForeignKey(
        "orgs.Organization", verbose_name=_("商会"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credit_line = models.DecimalField(_("整会授信额度（万元）"), null=True, blank=True, **AMOUNT)
    note = models.TextField(_("说明"), blank=True)
    pushed_on = models.DateField(_("推送日期"))
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("推送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pushed_on", "-id"]
        verbose_name = _("推送批次")
        verbose_name_plural = _("推送批次")

    def __str__(self) -> str:
        return f"{self.pushed_on} {self.bank_id}"


class MatchEvent(TimeStampedModel):
    """A 银企对接会: banks and enterprises meet; needs are presented and intentions signed on the spot."""

    fic = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办工商联"), on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    banks = models.ManyToManyField("orgs.Organization", verbose_name=_("参会银行"), blank=True, related_name="+")
    invited = models.ManyToManyField("registry.Enterprise", verbose_name=_("邀请企业"), blank=True, related_name="+")
    attending = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("参会企业"), blank=True, related_name="financing_events"
    )
    needs = models.ManyToManyField(FinancingNeed, verbose_name=_("推介需求"), blank=True, related_name="events")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("银企对接会")
        verbose_name_plural = _("银企对接会")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class NeedReferral(ReachTracked, RolledUpModel, TimeStampedModel):
    """A need as pushed to one bank, with its stage and amounts there (the bank officer's work item)."""

    REACH_FIELDS = ("need_id", "org_path", "pushed_on")
    ENTERPRISE = "need__enterprise_id"

    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("融资需求"), on_delete=models.CASCADE, related_name="referrals"
    )
    bank = models.ForeignKey(
        "orgs.Organization", verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="financing_referrals"
    )
    bank_path = models.CharField(_("金融机构路径"), max_length=255, db_index=True)
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the need's
    batch = models.ForeignKey(
        PushBatch,
        verbose_name=_("推送批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    product = models.ForeignKey(
        BankProduct, verbose_name=_("信贷产品"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("前次推荐"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(_("进展"), max_length=12, choices=Stage.choices, default=Stage.PUSHED, db_index=True)
    pushed_on = models.DateField(_("推送日期"), db_index=True)
    application_complete_on = models.DateField(_("材料齐全日期"), null=True, blank=True)
    answer_due = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    chased_level = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    intention_amount = models.DecimalField(_("意向金额（万元）"), null=True, blank=True, **AMOUNT)
    credit_amount = models.DecimalField(_("授信金额（万元）"), null=True, blank=True, **AMOUNT)
    credit_on = models.DateField(_("授信日期"), null=True, blank=True)
    loan_amount = models.DecimalField(_("放款金额（万元）"), null=True, blank=True, **AMOUNT)
    loan_on = models.DateField(_("放款日期"), null=True, blank=True, db_index=True)
    loan_rate = models.DecimalField(_("执行年利率（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    is_credit_loan = models.BooleanField(_("信用贷款"), default=False)
    refusal_reason = models.ForeignKey(
        RefusalReason, verbose_name=_("未获贷原因"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_text = models.CharField(_("原因说明"), max_length=500, blank=True)
    refused_on = models.DateField(_("未获贷日期"), null=True, blank=True)

    class Meta:
        ordering = ["-pushed_on", "-id"]
        verbose_name = _("推荐记录")
        verbose_name_plural = _("推荐记录")
        indexes = [models.Index(fields=["bank", "stage", "pushed_on"])]

    def __str__(self) -> str:
        return f"{self.need_id}→{self.bank_id}"

    def delete(self, *args, **kwargs):
        from .rollups import cascade_tracking

        with cascade_tracking(steps=self.events.all()):
            return super().delete(*args, **kwargs)


class StageEvent(ReachTracked, RolledUpModel):
    """One recorded step of a referral (the history behind its stage)."""

    REACH_FIELDS = ("referral_id", "stage", "on")
    ENTERPRISE = "referral__need__enterprise_id"

    referral = models.ForeignKey(
        NeedReferral, verbose_name=_("推荐记录"), on_delete=models.CASCADE, related_name="events"
    )
    stage = models.CharField(_("进展"), max_length=12, choices=Stage.choices)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（万元）"), null=True, blank=True, **AMOUNT)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    event = models.ForeignKey(
        MatchEvent,
        verbose_name=_("对接会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intentions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("进展记录")
        verbose_name_plural = _("进展记录")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.stage}"


class FixTask(TimeStampedModel):
    """A fixable refusal: the problem, the department responsible and the measure; may become an appeal."""

    referral = models.OneToOneField(
        NeedReferral, verbose_name=_("推荐记录"), on_delete=models.CASCADE, related_name="fix_task"
    )
    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("融资需求"), on_delete=models.CASCADE, related_name="fix_tasks"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    problem = models.CharField(_("问题"), max_length=500)
    department = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.CharField(_("整改措施"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=FixStatus.choices, default=FixStatus.OPEN)
    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("转办诉求"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fixed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    result = models.CharField(_("整改结果"), max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")

    def __str__(self) -> str:
        return self.problem[:40]


# ---------------------------------------------------------------------- rollups (rollups.py)
class NeedRollup(models.Model):
    """Needs and their amounts per day stated × organisation path (written only through rollups.py)."""

    day = models.DateField(_("提出日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    needs = models.IntegerField(_("需求笔数"), default=0)
    amount = models.DecimalField(_("需求金额（万元）"), default=0, **AMOUNT)

    class Meta:
        verbose_name = _("融资需求汇总")
        verbose_name_plural = _("融资需求汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path"], name="fin_need_rollup_key")]
        indexes = [models.Index(fields=["org_path", "day"], name="fin_need_rollup_scope",
                                opclasses=["varchar_pattern_ops", "date_ops"])]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.needs}"


class ReferralRollup(models.Model):
    """Referrals (推荐至银行) per day pushed × the need's organisation path."""

    day = models.DateField(_("推送日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    referrals = models.IntegerField(_("推荐笔数"), default=0)

    class Meta:
        verbose_name = _("推荐汇总")
        verbose_name_plural = _("推荐汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path"], name="fin_referral_rollup_key")]
        indexes = [models.Index(fields=["org_path", "day"], name="fin_referral_rollup_scope",
                                opclasses=["varchar_pattern_ops", "date_ops"])]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.referrals}"


class StepRollup(models.Model):
    """Stage events per day × the referral's organisation path × refusal reason (0 for every other step), with
    the amounts of the funnel's figures."""

    day = models.DateField(_("日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    reason = models.IntegerField(_("未获贷原因"), default=0)
    steps = models.IntegerField(_("进展记录"), default=0)
    refused = models.IntegerField(_("未获贷"), default=0)
    intention_amount = models.DecimalField(_("意向金额（万元）"), default=0, **AMOUNT)
    credit_amount = models.DecimalField(_("授信金额（万元）"), default=0, **AMOUNT)
    loan_amount = models.DecimalField(_("放款金额（万元）"), default=0, **AMOUNT)
    credit_loan_amount = models.DecimalField(_("信用贷款放款金额（万元）"), default=0, **AMOUNT)

    class Meta:
        verbose_name = _("进展汇总")
        verbose_name_plural = _("进展汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path", "reason"], name="fin_step_rollup_key")]
        indexes = [models.Index(fields=["org_path", "day"], name="fin_step_rollup_scope",
                                opclasses=["varchar_pattern_ops", "date_ops"])]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.steps}"


class FinancingReach(models.Model):
    """The distinct-enterprise figures (户数/家数) as sums (rollups.REACH): for each figure ``kind``, enterprise
    and organisation subtree ``org_path`` (every ancestor path of the record's), each distinct day with a
    record counts 1 under (that day, ``prev_month``: the first of the month of the enterprise's previous such
    day in that subtree, NO_PREVIOUS for its first). An enterprise is in a period starting on the first of a
    month iff exactly one of its days in the period has its previous day before the period."""

    kind = models.CharField(_("指标"), max_length=40)
    org_path = models.CharField(_("组织路径"), max_length=255)
    day = models.DateField(_("日期"))
    prev_month = models.DateField(_("上次所在月"))
    n = models.IntegerField(_("企业数"), default=0)

    class Meta:
        verbose_name = _("企业户数汇总")
        verbose_name_plural = _("企业户数汇总")
        constraints = [
            models.UniqueConstraint(fields=["kind", "org_path", "day", "prev_month"], name="fin_reach_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.org_path} {self.day} {self.n}"
