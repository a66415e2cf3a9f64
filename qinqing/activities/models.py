"""Activities and trainings (培训, 理想信念教育, 讲座, 座谈, 考察/出访, 招聘会, 其他): their sessions, the enterprises'
registrations with a waitlist, attendance per session (QR or manual check-in) and, for job fairs, the jobs
posted and the job seekers' intentions reached per job.

An activity belongs to its organiser (an FIC node or a chamber): ``org_path`` is the organiser's path, copied
onto registrations, attendances and jobs so every read and every figure is scoped by the tree without joins.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import EncryptedCharField
from qinqing.core.models import TimeStampedModel

from .choices import CheckinMethod, Kind, RegistrationStatus


class Activity(TimeStampedModel):
    """One activity or training with its dates, place, capacity and target audience (a shared-engine rule)."""

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("内容简介"), blank=True)
    organiser = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="activities"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    starts_on = models.DateField(_("开始日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online = models.BooleanField(_("线上举办"), default=False)
    online_url = models.URLField(_("线上参会链接"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("名额"))
    waitlist = models.BooleanField(_("允许候补"), default=True)
    registration_open = models.BooleanField(_("开放报名"), default=True)
    audience = models.JSONField(_("目标对象（规则）"), default=dict, blank=True)
    feedback_url = models.URLField(_("反馈问卷链接"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [models.Index(fields=["org_path", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_job_fair(self) -> bool:
        return self.kind == Kind.JOB_FAIR


class Session(TimeStampedModel):
    """One session (场次) of an activity on one day; attendance is taken per session."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="sessions")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    title = models.CharField(_("场次名称"), max_length=100, blank=True)
    date = models.DateField(_("日期"), db_index=True)
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("场次")
        verbose_name_plural = _("场次")

    def __str__(self) -> str:
        return f"{self.date} {self.title}".strip()


class Registration(TimeStampedModel):
    """One attendee of an enterprise registered for an activity: confirmed, on the waitlist, or cancelled."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)  # the activity's
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="activity_registrations"
    )
    # Personal data, sealed at rest (qinqing.core.crypto); masked on staff screens.
    attendee_name = EncryptedCharField(_("参加人"), max_length=50)
    attendee_phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
        db_index=True,
    )
    registered_at = models.DateTimeField(_("报名时间"), db_index=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报名人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        indexes = [models.Index(fields=["activity", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.enterprise_id}/{self.pk}"


class Attendance(models.Model):
    """A registration present at a session (签到)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, verbose_name=_("场次"), on_delete=models.CASCADE, related_name="attendances")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    method = models.CharField(_("签到方式"), max_length=16, choices=CheckinMethod.choices)
    checked_in_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["checked_in_at", "id"]
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="activities_one_checkin")]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}"


class Job(TimeStampedModel):
    """A job (岗位) an enterprise offers at a job fair, and the job seekers' intentions reached for it."""

    activity = models.ForeignKey(Activity, verbose_name=_("招聘会"), on_delete=models.CASCADE, related_name="jobs")
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="fair_jobs"
    )
    title = models.CharField(_("岗位"), max_length=100)
    headcount = models.PositiveIntegerField(_("人数"))
    requirements = models.TextField(_("要求"), blank=True)
    intentions = models.PositiveIntegerField(_("达成意向人数"), default=0)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["activity_id", "id"]
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")

    def __str__(self) -> str:
        return self.title
