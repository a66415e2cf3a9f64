"""Choices of the 亲清日志: purposes, who organised, meals, vehicles, venues, who paid, review conclusions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    FORUM = "forum", _("座谈")
    RESEARCH = "research", _("调研")
    SERVICE = "service", _("上门服务")
    SIGNING = "signing", _("签约")
    EVENT = "event", _("活动")
    OTHER = "other", _("其他")


class Organiser(models.TextChoices):
    OWN_UNIT = "own_unit", _("本单位")
    OTHER_UNIT = "other_unit", _("其他党政机关")
    CHAMBER = "chamber", _("商会/协会")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class Payer(models.TextChoices):
    """Who paid for a meal, or bore the costs of the contact."""

    NONE = "none", _("无费用")
    OWN_UNIT = "own_unit", _("本单位（公务接待）")
    SELF = "self", _("个人自费")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class Vehicle(models.TextChoices):
    OFFICIAL = "official", _("公务用车")
    PUBLIC = "public", _("公共交通/步行")
    PRIVATE = "private", _("私人车辆")
    ENTERPRISE = "enterprise", _("企业车辆")


class Venue(models.TextChoices):
    OFFICE = "office", _("机关办公场所")
    ENTERPRISE = "enterprise", _("企业生产经营场所")
    PUBLIC = "public", _("公共场所/会议场馆")
    RESTAURANT = "restaurant", _("餐饮场所")
    PRIVATE_CLUB = "private_club", _("私人会所")


class ReviewStatus(models.TextChoices):
    NONE = "", _("未触发")
    PENDING = "pending", _("待审查")
    CONCLUDED = "concluded", _("已审查")


class Conclusion(models.TextChoices):
    NO_ISSUE = "no_issue", _("无问题")
    REMINDER = "reminder", _("提醒谈话")
    CRITICISM = "criticism", _("批评教育")
    REFERRED = "referred", _("移交处理")
