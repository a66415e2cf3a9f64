"""Chamber mediation (商会调解): mediation bodies and their rosters, cases with their parties, sessions,
deadline extensions granted by the court, and outcomes (调解成功 with the agreement and 司法确认, 调解不成,
撤回, 超期退回法院).

A case belongs to a body (a chamber's 调解委员会 or an FIC's 调解中心); ``org_path`` is the body's node path,
so FIC staff read their subtree and a chamber secretary reads their chamber. Amounts are 万元 (Decimal, two
places). Parties' names, identity numbers, phones and addresses are sealed at rest (qinqing.core.crypto).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import EncryptedCharField
from qinqing.core.models import TimeStampedModel

from .choices import (
    BodyKind,
    CaseType,
    Confirmation,
    FailedNext,
    PartyKind,
    PartyRole,
    SessionMode,
    Source,
    Status,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class MediationBody(TimeStampedModel):
    """A chamber's 调解委员会 or an FIC's 调解中心, attached to its organisation node."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="mediation_bodies"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=BodyKind.choices)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["org_path", "name"]
        verbose_name = _("调解组织")
        verbose_name_plural = _("调解组织")

    def __str__(self) -> str:
        return self.name


class RosterEntry(TimeStampedModel):
    """A mediator (a user with the mediator role) on a body's roster, with their specialities."""

    body = models.ForeignKey(MediationBody, verbose_name=_("调解组织"), on_delete=models.CASCADE, related_name="roster")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="mediation_roster"
    )
    specialities = models.JSONField(_("擅长纠纷类型"), default=list, blank=True)
    title = models.CharField(_("职务或专业背景"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        ordering = ["body_id", "id"]
        verbose_name = _("调解员名册")
        verbose_name_plural = _("调解员名册")
        constraints = [models.UniqueConstraint(fields=["body", "user"], name="mediation_roster_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}:{self.user_id}"

    @property
    def speciality_labels(self) -> list:
        return [CaseType(v).label for v in self.specialities if v in CaseType.values]


class Case(TimeStampedModel):
    """One dispute brought to a mediation body, from registration to its outcome."""

    number = models.CharField(_("案件编号"), max_length=24, unique=True)
    body = models.ForeignKey(MediationBody, verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="cases")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    source = models.CharField(_("案件来源"), max_length=12, choices=Source.choices, db_index=True)
    case_type = models.CharField(_("纠纷类型"), max_length=12, choices=CaseType.choices, db_index=True)
    summary = models.TextField(_("纠纷概要及请求"), blank=True)
    amount = models.DecimalField(_("争议金额（万元）"), default=0, **AMOUNT)
    received_on = models.DateField(_("受理日期"), db_index=True)
    court_name = models.CharField(_("委派/委托法院"), max_length=100, blank=True)
    court_case_number = models.CharField(_("法院案号"), max_length=60, blank=True, db_index=True)
    referred_on = models.DateField(_("委派/委托日期"), null=True, blank=True)
    referred_by = models.CharField(_("移送部门"), max_length=100, blank=True)
    deadline = models.DateField(_("调解期限"), db_index=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调解员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_cases",
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True, db_index=True)
    duration_days = models.PositiveIntegerField(_("办理天数"), null=True, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    agreement_text = models.TextField(_("调解协议内容"), blank=True)
    settled_amount = models.DecimalField(_("协议金额（万元）"), null=True, blank=True, **AMOUNT)
    confirmation = models.CharField(
        _("司法确认"), max_length=12, choices=Confirmation.choices, default=Confirmation.NONE, blank=True
    )
    confirmation_court = models.CharField(_("司法确认法院"), max_length=100, blank=True)
    confirmation_requested_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    confirmation_on = models.DateField(_("司法确认裁定日期"), null=True, blank=True, db_index=True)
    confirmation_number = models.CharField(_("司法确认裁定书文号"), max_length=60, blank=True)
    failed_next = models.CharField(_("调解不成后续"), max_length=12, choices=FailedNext.choices, blank=True)
    lawsuit_case_number = models.CharField(_("立案案号"), max_length=60, blank=True)
    reminded_on = models.DateField(_("最近超期提醒日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        indexes = [models.Index(fields=["org_path", "received_on"]), models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_court_referred(self) -> bool:
        return self.source in (Source.COURT_PRE, Source.COURT_IN)


class Party(TimeStampedModel):
    """A party to a case: a person or an organisation, a member of the chamber or not, optionally the
    registry's enterprise. Identity and contact details are sealed at rest."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("当事人地位"), max_length=12, choices=PartyRole.choices)
    kind = models.CharField(_("当事人类型"), max_length=14, choices=PartyKind.choices)
    name = EncryptedCharField(_("姓名或名称"), max_length=100)
    id_number = EncryptedCharField(_("身份证号或统一社会信用代码"), max_length=30, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    address = EncryptedCharField(_("地址"), max_length=200, blank=True)
    is_member = models.BooleanField(_("商会会员"), default=False)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("登记企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_parties",
    )

    class Meta:
        ordering = ["case_id", "role", "id"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.get_role_display()}"


class Session(TimeStampedModel):
    """One mediation session (调解会) with its attendees and notes."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    mode = models.CharField(_("方式"), max_length=8, choices=SessionMode.choices, default=SessionMode.ONSITE)
    place = models.CharField(_("地点或线上平台"), max_length=200, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=500)
    notes = models.TextField(_("调解记录"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class Extension(TimeStampedModel):
    """A court-referred case's deadline extended with the court's consent (recorded, never silent)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField(_("原调解期限"))
    new_deadline = models.DateField(_("延长后期限"))
    consent_on = models.DateField(_("法院同意日期"))
    consent_ref = models.CharField(_("法院同意依据"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("延长调解期限")
        verbose_name_plural = _("延长调解期限")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.new_deadline}"
