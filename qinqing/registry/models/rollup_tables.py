"""Registry rollup tables (declared in qinqing/registry/rollups.py, written only through qinqing.core.rollups):
enterprises, FIC memberships and chambers counted per day of their state change × organisation path, and the
same per year (``day`` = 1 January) so that a position at a period's end sums the years before the end's
year plus the days of that year, not every day since the register began."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ChamberType, MemberKind, RegistrationStatus


def _meta(verbose: str, key: str, fields: list[str]) -> type:
    """Meta of a rollup table: its unique key and a subtree × day index (pattern ops so PostgreSQL serves
    ``org_path LIKE 'prefix%'`` from it)."""

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = verbose
        verbose_name_plural = verbose
        constraints = [models.UniqueConstraint(fields=fields, name=f"{key}_key")]
        indexes = [
            models.Index(fields=["org_path", "day"], name=f"{key}_scope", opclasses=["varchar_pattern_ops", "date_ops"])
        ]

    return Meta


class EnterpriseCounts(models.Model):
    """Enterprises per day (or year) of entry — created_at's local day — × organisation path."""

    day = models.DateField(_("入库日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    enterprises = models.IntegerField(_("企业数"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.enterprises}"


class EnterpriseRollup(EnterpriseCounts):
    Meta = _meta(_("企业汇总（日）"), "reg_ent_rollup", ["day", "org_path"])


class EnterpriseYearRollup(EnterpriseCounts):
    Meta = _meta(_("企业汇总（年）"), "reg_ent_year", ["day", "org_path"])


class MemberJoinCounts(models.Model):
    """FIC memberships per join day (or year) × organisation path × kind: ``joined`` every one (新发展会员),
    ``opened`` those in the register for at least one day (left, if at all, not before joining)."""

    day = models.DateField(_("入会日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    kind = models.CharField(_("会员类别"), max_length=16, choices=MemberKind.choices)
    joined = models.IntegerField(_("入会数"), default=0)
    opened = models.IntegerField(_("在册起始数"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.kind} +{self.joined}"


class MemberJoinRollup(MemberJoinCounts):
    Meta = _meta(_("会员入会汇总（日）"), "reg_join_rollup", ["day", "org_path", "kind"])


class MemberJoinYearRollup(MemberJoinCounts):
    Meta = _meta(_("会员入会汇总（年）"), "reg_join_year", ["day", "org_path", "kind"])


class MemberLeaveCounts(models.Model):
    """FIC memberships per leave day (or year) × organisation path × kind: ``left`` every one (退会会员),
    ``closed`` those counted as opened (members at a day's end = opened − closed up to that day)."""

    day = models.DateField(_("退会日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    kind = models.CharField(_("会员类别"), max_length=16, choices=MemberKind.choices)
    left = models.IntegerField(_("退会数"), default=0)
    closed = models.IntegerField(_("在册终止数"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.kind} -{self.left}"


class MemberLeaveRollup(MemberLeaveCounts):
    Meta = _meta(_("会员退会汇总（日）"), "reg_leave_rollup", ["day", "org_path", "kind"])


class MemberLeaveYearRollup(MemberLeaveCounts):
    Meta = _meta(_("会员退会汇总（年）"), "reg_leave_year", ["day", "org_path", "kind"])


CHAMBER_KEY = ["day", "org_path", "chamber_type", "registration_status", "party_org_established"]


class ChamberCounts(models.Model):
    """Chambers per registration day or year (0001-01-01: none recorded, i.e. always existing) × organisation
    path × type × registration status × party organisation."""

    day = models.DateField(_("登记日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    chamber_type = models.CharField(_("商会类型"), max_length=16, choices=ChamberType.choices)
    registration_status = models.CharField(_("登记状态"), max_length=16, choices=RegistrationStatus.choices)
    party_org_established = models.BooleanField(_("已建立党组织"))
    chambers = models.IntegerField(_("商会数"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.chamber_type} {self.chambers}"


class ChamberRollup(ChamberCounts):
    Meta = _meta(_("商会汇总（日）"), "reg_chamber_rollup", CHAMBER_KEY)


class ChamberYearRollup(ChamberCounts):
    Meta = _meta(_("商会汇总（年）"), "reg_chamber_year", CHAMBER_KEY)
