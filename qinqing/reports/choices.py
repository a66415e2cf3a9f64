"""Choices of the reports: summary state, 参政议政 output kinds, adoption levels, awards, rating levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("已定稿")


class OutputKind(models.TextChoices):
    PROPOSAL = "proposal", _("提案")
    SQMY = "sqmy", _("社情民意信息")
    RESEARCH = "research", _("调研报告")
    SPECIAL = "special", _("信息专报")
    SPEECH = "speech", _("大会发言")


class ProposalType(models.TextChoices):
    COLLECTIVE = "collective", _("集体提案")
    GROUP = "group", _("团体提案")


class AdoptionLevel(models.TextChoices):
    # Codes never contain one another, so ``adoption_levels__contains=code`` is exact on every database.
    CPPCC_NATIONAL = "cppcc_national", _("全国政协")
    UFWD = "ufwd_central", _("中央统战部")
    ACFIC = "acfic", _("全国工商联")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class InstructionLevel(models.TextChoices):
    NATIONAL = "national", _("中央领导")
    PROVINCE = "province", _("省级领导")
    CITY = "city", _("市级领导")
    COUNTY = "county", _("县级领导")


class Award(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")
    EXCELLENT = "excellent", _("优秀提案")


class RatingLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
