"""Meetings (政企恳谈会 / 早餐会 / 座谈会): plan, pre-visits, issues raised (appeals), sign-off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel


class MeetingKind(models.TextChoices):
    TALK = "talk", _("政企恳谈会")
    BREAKFAST = "breakfast", _("早餐会")
    FORUM = "forum", _("座谈会")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    HELD = "held", _("已召开")
    SIGNED_OFF = "signed_off", _("已销号")


class Meeting(TimeStampedModel):
    """A meeting between leaders, departments and entrepreneurs; each issue raised becomes an appeal."""

    fic = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办工商联"), on_delete=models.PROTECT, related_name="meetings"
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.TALK)
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("日期"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    host_leader = models.CharField(_("主持领导"), max_length=100)
    departments = models.ManyToManyField("orgs.Organization", verbose_name=_("参会部门"), blank=True, related_name="+")
    enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("邀请企业"), blank=True, related_name="meetings"
    )
    agenda = models.TextField(_("议程"), blank=True)
    agenda_published_at = models.DateTimeField(_("议程发布时间"), null=True, blank=True)
    attendees = models.PositiveIntegerField(_("参会企业家人数"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    signed_off_at = models.ForeignKey(
        "self",
        verbose_name=_("在此会议上销号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_off_meetings",
    )
    signoff_note = models.TextField(_("销号说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("恳谈会")
        verbose_name_plural = _("恳谈会")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class PreVisit(TimeStampedModel):
    """会前走访: notes from visiting an invited enterprise before the meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="visits")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT)
    visited_on = models.DateField(_("走访日期"))
    notes = models.TextField(_("走访记录"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("会前走访")
        verbose_name_plural = _("会前走访")

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.enterprise_id}"
