"""Choices of the registry: qualifications, member kinds and roles, chamber types and ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Qualification(models.TextChoices):
    # Codes never contain one another, so ``qualifications__contains=code`` is exact on every database.
    HIGH_TECH = "high_tech", _("高新技术企业")
    SRDI = "srdi", _("专精特新")
    LITTLE_GIANT = "little_giant", _("专精特新小巨人")
    CHAMPION = "champion", _("单项冠军")
    LISTED = "listed", _("上市企业")
    PRE_LISTING = "pre_listing", _("拟上市企业")


class SizeClass(models.TextChoices):
    LARGE = "大型", _("大型")
    MEDIUM = "中型", _("中型")
    SMALL = "小型", _("小型")
    MICRO = "微型", _("微型")


class MemberKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业会员")
    GROUP = "group", _("团体会员")
    INDIVIDUAL = "individual", _("个人会员")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("会员")
    DIRECTOR = "director", _("理事")
    STANDING_DIRECTOR = "standing_director", _("常务理事")
    EXECUTIVE = "executive", _("执委")
    STANDING = "standing", _("常委")
    VICE_PRESIDENT = "vice_president", _("副会长")
    VICE_CHAIR = "vice_chair", _("副主席")
    PRESIDENT = "president", _("会长")
    CHAIR = "chair", _("主席")


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("待入会")
    ACTIVE = "active", _("在册")
    LEFT = "left", _("已退会")


class ChamberType(models.TextChoices):
    INDUSTRY = "industry", _("行业商会")
    MARKET = "market", _("市场商会")
    NONLOCAL = "nonlocal", _("异地商会")
    TOWNSHIP = "township", _("乡镇街道商会")
    PARK = "park", _("园区商会")
    YOUTH = "youth", _("青年商会")
    SPECIAL = "special", _("特色商会")
    OTHER = "other", _("其他")


class PartyOrgType(models.TextChoices):
    """A chamber's party organisation (DOMAIN.md §6); without one a 党建联络员 covers it."""

    INDEPENDENT = "independent", _("独立党组织")
    JOINT = "joint", _("联合党组织")
    FUNCTIONAL = "functional", _("功能型党组织")
    NONE = "none", _("无")


class DeputyLevel(models.TextChoices):
    """The level of a member's seat as 人大代表 or 政协委员."""

    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    PREPARING = "preparing", _("筹备中")
    UNREGISTERED = "unregistered", _("未登记")
    CANCELLED = "cancelled", _("已注销")


class RatingScheme(models.TextChoices):
    FOUR_GOOD_NATIONAL = "four_good_national", _("全国“四好”商会")
    FOUR_GOOD_PROVINCE = "four_good_province", _("省级“四好”商会")
    FOUR_GOOD_CITY = "four_good_city", _("市级“四好”商会")
    FIVE_GOOD = "five_good", _("“五好”商会（本会评定）")
