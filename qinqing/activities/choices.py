"""Vocabulary of activities: kinds, registration states, how an attendance was recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TRAINING = "training", _("培训")
    IDEALS = "ideals", _("理想信念教育")
    LECTURE = "lecture", _("讲座")
    FORUM = "forum", _("座谈")
    VISIT = "visit", _("考察/出访")
    JOB_FAIR = "job_fair", _("招聘会")
    OTHER = "other", _("其他")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")


class CheckinMethod(models.TextChoices):
    REGISTRATION_QR = "registration_qr", _("扫个人签到码")
    SESSION_QR = "session_qr", _("扫场次签到码")
    MANUAL = "manual", _("工作人员签到")
