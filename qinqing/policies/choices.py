"""Choices of the policy supermarket."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("国家")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")


class BenefitType(models.TextChoices):
    SUBSIDY = "subsidy", _("资金补贴")
    TAX = "tax", _("税费减免")
    FINANCING = "financing", _("融资支持")
    TALENT = "talent", _("人才")
    LAND = "land", _("用地")
    HONOR = "honor", _("荣誉资质")
    OTHER = "other", _("其他")


class ApplicationMethod(models.TextChoices):
    APPLY = "apply", _("申报")
    AUTOMATIC = "automatic", _("免申即享")


class PublishState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Status(models.TextChoices):
    """Computed from the dates, never stored."""

    UPCOMING = "upcoming", _("未生效")
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已失效")
