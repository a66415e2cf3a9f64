from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("启用中")
    RETIRED = "retired", _("已停用")


class Answer(models.TextChoices):
    YES = "yes", _("是")
    PARTLY = "partly", _("部分做到")
    NO = "no", _("否")


class VisitReason(models.TextChoices):
    LOW = "low", _("得分偏低")
    FELL = "fell", _("得分下降")
    OTHER = "other", _("其他")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("待走访")
    DONE = "done", _("已走访")
    APPEALED = "appealed", _("已转诉求")
