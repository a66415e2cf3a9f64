"""Members (会员) of an FIC or a chamber: enterprises, groups (a chamber joining) and individuals."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import BlindIndexField, EncryptedCharField, SealedFieldsModel
from qinqing.core.models import TimeStampedModel
from qinqing.core.rollups import RolledUpModel

from ..choices import DeputyLevel, MemberKind, MemberRole, MemberStatus


def member_status(joined_on: datetime.date | None, left_on: datetime.date | None, today: datetime.date) -> str:
    """Status follows from the dates alone, so it is never stale."""
    if left_on is not None and left_on <= today:
        return MemberStatus.LEFT
    if joined_on is not None and joined_on > today:
        return MemberStatus.PENDING
    return MemberStatus.ACTIVE


class Member(RolledUpModel, SealedFieldsModel, TimeStampedModel):
    """One membership of an enterprise, a group or a person in an organisation (FIC or chamber).

    A group member (团体会员) is a chamber or association joining as a member. It stands for an
    organisation: a chamber of the registry (``group``) or, for an association kept elsewhere, its name
    (``group_name``). It passes down the enterprises it represents: for a registry chamber they are the
    chamber's own enterprise members, read from the register (never copied); for an outside association
    the number it declares (``represented_enterprises``). ``statistics.group_members`` counts them without
    counting twice an enterprise that is also a direct member.
    """

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("入会组织"), on_delete=models.PROTECT, related_name="members"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    kind = models.CharField(_("会员类别"), max_length=16, choices=MemberKind.choices, db_index=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    group = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("团体会员单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    group_name = models.CharField(_("团体会员单位名称"), max_length=100, blank=True)
    represented_enterprises = models.PositiveIntegerField(_("代表企业数"), null=True, blank=True)
    person_name = models.CharField(_("姓名/代表人"), max_length=50, blank=True)
    # Sealed with SM4 at rest (qinqing.core.crypto); the blind indexes answer lookups and duplicate checks.
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, blind_index="id_number_bidx")
    mobile = EncryptedCharField(_("手机号码"), max_length=11, blank=True, blind_index="mobile_bidx")
    id_number_bidx = BlindIndexField(source="id_number")
    mobile_bidx = BlindIndexField(source="mobile")
    role = models.CharField(_("职务"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("入会日期"))
    left_on = models.DateField(_("退会日期"), null=True, blank=True)
    npc_level = models.CharField(
        _("人大代表层级"), max_length=10, choices=DeputyLevel.choices, blank=True, db_default=""
    )
    cppcc_level = models.CharField(
        _("政协委员层级"), max_length=10, choices=DeputyLevel.choices, blank=True, db_default=""
    )

    class Meta:
        ordering = ["organization", "-joined_on", "id"]
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="registry_member_enterprise_once",
            ),
            models.UniqueConstraint(
                fields=["organization", "group"],
                condition=models.Q(group__isnull=False),
                name="registry_member_group_once",
            ),
        ]
        indexes = [
            models.Index(fields=["org_path", "kind"]),
            models.Index(fields=["id_number_bidx"]),
            models.Index(fields=["mobile_bidx"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == MemberKind.ENTERPRISE and self.enterprise_id:
            return self.enterprise.name
        if self.kind == MemberKind.GROUP:
            return self.group.name if self.group_id else self.group_name
        return self.person_name

    def represented_count(self, day: datetime.date | None = None) -> int | None:
        """Enterprises this group member stands for on ``day`` (today by default): a registry chamber's
        enterprise members in the register then, or the number an outside association declared."""
        if self.kind != MemberKind.GROUP:
            return None
        if not self.group_id:
            return self.represented_enterprises
        day = day or timezone.localdate()
        return (
            Member.objects.filter(organization_id=self.group_id, kind=MemberKind.ENTERPRISE, joined_on__lte=day)
            .exclude(left_on__lte=day)
            .count()
        )

    @property
    def status(self) -> str:
        return member_status(self.joined_on, self.left_on, timezone.localdate())

    def get_status_display(self) -> str:
        return str(MemberStatus(self.status).label)
