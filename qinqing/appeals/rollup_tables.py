"""The appeals' rollup tables (qinqing.core.rollups; declared in appeals/rollups.py): daily, monthly, and monthly per
lead department. Kept apart from the records' models (models.py imports them, so Django finds them there)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The key of AppealRollup.contact_wait/reply_wait when the appeal is not waiting for that step.
NOT_WAITING = datetime.date(9999, 12, 31)


class AppealCounts(models.Model):
    """The appeal counts both rollups keep (appeals/rollups.py ``COUNTS``): the daily one per key, the monthly
    one per month and path."""

    received = models.IntegerField(_("登记量"), default=0)
    accepted = models.IntegerField(_("受理量"), default=0)
    assigned = models.IntegerField(_("交办量"), default=0)
    contacted = models.IntegerField(_("已联系"), default=0)
    contacted_on_time = models.IntegerField(_("按时联系"), default=0)
    replied = models.IntegerField(_("已答复"), default=0)
    replied_on_time = models.IntegerField(_("按时答复"), default=0)
    closed = models.IntegerField(_("已办结"), default=0)
    rated = models.IntegerField(_("已评价"), default=0)
    satisfied = models.IntegerField(_("满意"), default=0)
    solved_known = models.IntegerField(_("已确认解决情况"), default=0)
    solved = models.IntegerField(_("实际解决"), default=0)
    overdue = models.IntegerField(_("曾超期"), default=0)
    rehandled = models.IntegerField(_("重办"), default=0)
    extended = models.IntegerField(_("延期"), default=0)
    merged = models.IntegerField(_("被合并"), default=0)

    class Meta:
        abstract = True


class AppealRollup(AppealCounts):
    """Appeal figures pre-aggregated per registration day × FIC × lead department × type × domain × channel
    (qinqing.core.rollups; declared in appeals/rollups.py). ``contact_wait``/``reply_wait`` hold the deadline
    of the appeals still waiting for the first contact or the reply (NOT_WAITING otherwise), so the late ones
    of any day are counted from the rollup too. Written only through the rollup (Appeal.save, rebuild)."""

    day = models.DateField(_("登记日期"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    fic = models.IntegerField(_("受理工商联"))
    department = models.IntegerField(_("主办单位"), default=0)  # 0: not dispatched
    appeal_type = models.IntegerField(_("诉求类型"))
    domain = models.IntegerField(_("诉求领域"))
    channel = models.CharField(_("来源渠道"), max_length=16)
    contact_wait = models.DateField(_("待首次联系期限"))
    reply_wait = models.DateField(_("待答复期限"))

    KEYS = ("day", "org_path", "fic", "department", "appeal_type", "domain", "channel", "contact_wait", "reply_wait")

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = _("诉求统计汇总")
        verbose_name_plural = _("诉求统计汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "org_path", "fic", "department", "appeal_type", "domain", "channel", "contact_wait",
                        "reply_wait"],
                name="appeal_rollup_key",
            ),
        ]  # fmt: skip
        indexes = [
            # A subtree (path prefix, pattern ops for LIKE on PostgreSQL) over a range of days.
            models.Index(
                fields=["org_path", "day"], name="appeal_rollup_scope", opclasses=["varchar_pattern_ops", "date_ops"]
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day} {self.org_path} {self.received}"


class AppealMonthRollup(AppealCounts):
    """The appeal counts of AppealRollup per month (``day``: its first day) × organisation path alone: what the
    dashboards and figures pages read for the whole months of a period (a year is a few thousand rows here, about
    two hundred thousand daily rows at the province). Kept by Appeal.save() with the daily table (rollups.py)."""

    day = models.DateField(_("登记月份"))
    org_path = models.CharField(_("组织路径"), max_length=255)

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = _("诉求月度统计汇总")
        verbose_name_plural = _("诉求月度统计汇总")
        constraints = [models.UniqueConstraint(fields=["day", "org_path"], name="appeal_month_rollup_key")]
        indexes = [
            models.Index(fields=["org_path", "day"], name="appeal_month_rollup_scope",
                         opclasses=["varchar_pattern_ops", "date_ops"]),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.org_path} {self.received}"


class AppealDepartmentRollup(AppealCounts):
    """The appeal counts per month (``day``: its first day) × organisation path × lead department, with the daily
    table's ``contact_wait``/``reply_wait`` keys: the figures page's department rows and league (its default view)
    for a whole subtree without a date filter read a few tens of thousands of these instead of every daily row of
    the scope (about one per appeal at the province). Kept by Appeal.save() with the other two (rollups.py)."""

    day = models.DateField(_("登记月份"))
    org_path = models.CharField(_("组织路径"), max_length=255)
    department = models.IntegerField(_("主办单位"), default=0)  # 0: not dispatched
    contact_wait = models.DateField(_("待首次联系期限"))
    reply_wait = models.DateField(_("待答复期限"))

    class Meta:
        ordering = ["day", "org_path"]
        verbose_name = _("诉求承办单位月度统计汇总")
        verbose_name_plural = _("诉求承办单位月度统计汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "org_path", "department", "contact_wait", "reply_wait"],
                name="appeal_department_rollup_key",
            ),
        ]
        indexes = [
            models.Index(fields=["org_path", "day"], name="appeal_dept_rollup_scope",
                         opclasses=["varchar_pattern_ops", "date_ops"]),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.org_path} {self.department} {self.received}"
