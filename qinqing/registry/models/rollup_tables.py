"""Registry rollup tables (declared in qinqing/registry/rollups.py, written only through qinqing.core.rollups):
enterprises, FIC memberships and chambers counted per day of their state change × organisation path."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ChamberType, MemberKind, RegistrationStatus


def _scope_index(name: str) -> models.Index:
    # Subtree (org_path LIKE 'prefix%') and period reads; pattern ops so PostgreSQL serves LIKE from it.
    return models.Index(fields=["org_path", "day"], name=name, opclasses=["varchar_pattern_ops", "date_ops"])


class EnterpriseRollup(models.Model):
    """Enterprises per day of entry (created_at's local day) × organisation path."""

    day = models.DateField(_("入库日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    enterprises = models.IntegerField(_("企业数"), default=0)

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = _("企业汇总")
        verbose_name_plural = _("企业汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path"], name="reg_ent_rollup_key")]
        indexes = [_scope_index("reg_ent_rollup_scope")]

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.enterprises}"


class MemberJoinRollup(models.Model):
    """FIC memberships per join day × organisation path × kind: ``joined`` every one (新发展会员), ``opened``
    those that are in the register for at least one day (left, if at all, not before joining)."""

    day = models.DateField(_("入会日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    kind = models.CharField(_("会员类别"), max_length=16, choices=MemberKind.choices)
    joined = models.IntegerField(_("入会数"), default=0)
    opened = models.IntegerField(_("在册起始数"), default=0)

    class Meta:
        ordering = ["day", "org_path", "kind"]
        verbose_name = _("会员入会汇总")
        verbose_name_plural = _("会员入会汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path", "kind"], name="reg_join_rollup_key")]
        indexes = [_scope_index("reg_join_rollup_scope")]

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.kind} +{self.joined}"


class MemberLeaveRollup(models.Model):
    """FIC memberships per leave day × organisation path × kind: ``left`` every one (退会会员), ``closed`` those
    counted in ``MemberJoinRollup.opened`` (members at a day's end = opened − closed up to that day)."""

    day = models.DateField(_("退会日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    kind = models.CharField(_("会员类别"), max_length=16, choices=MemberKind.choices)
    left = models.IntegerField(_("退会数"), default=0)
    closed = models.IntegerField(_("在册终止数"), default=0)

    class Meta:
        ordering = ["day", "org_path", "kind"]
        verbose_name = _("会员退会汇总")
        verbose_name_plural = _("会员退会汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path", "kind"], name="reg_leave_rollup_key")]
        indexes = [_scope_index("reg_leave_rollup_scope")]

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.kind} -{self.left}"


class ChamberRollup(models.Model):
    """Chambers per registration day (0001-01-01: none recorded, i.e. always existing) × organisation path ×
    type × registration status × party organisation."""

    day = models.DateField(_("登记日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    chamber_type = models.CharField(_("商会类型"), max_length=16, choices=ChamberType.choices)
    registration_status = models.CharField(_("登记状态"), max_length=16, choices=RegistrationStatus.choices)
    party_org_established = models.BooleanField(_("已建立党组织"))
    chambers = models.IntegerField(_("商会数"), default=0)

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = _("商会汇总")
        verbose_name_plural = _("商会汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "org_path", "chamber_type", "registration_status", "party_org_established"],
                name="reg_chamber_rollup_key",
            )
        ]
        indexes = [_scope_index("reg_chamber_rollup_scope")]

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.chamber_type} {self.chambers}"
