"""Choices of the legal check-ups (法治体检), the 万所联万会 links and legal talks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The questionnaire's default areas (a version may add or rename its own; risk points keep the version's area).
DEFAULT_AREAS = [
    ("governance", _("公司治理")),
    ("contract", _("合同管理")),
    ("labour", _("劳动用工")),
    ("ip", _("知识产权")),
    ("tax", _("财税合规")),
    ("data", _("数据与个人信息")),
    ("safety", _("安全生产与环保")),
    ("dispute", _("诉讼与纠纷")),
]


class Level(models.TextChoices):
    RED = "red", _("红（重大且紧急）")
    ORANGE = "orange", _("橙（较大）")
    YELLOW = "yellow", _("黄（一般）")


class Service(models.TextChoices):
    CHECKUP = "checkup", _("法治体检")
    TALK = "talk", _("法律讲座/培训")
    CONSULT = "consult", _("法律咨询")
    CONTRACT = "contract", _("合同审查")
    MEDIATION = "mediation", _("纠纷调解")
    RIGHTS = "rights", _("维权服务")


class Source(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业申请")
    CHAMBER = "chamber", _("商会申请")
    ROUND = "round", _("工商联组织")


class Status(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    ASSIGNED = "assigned", _("已安排")
    VISITED = "visited", _("已走访")
    REPORTED = "reported", _("已出报告")
    FOLLOWED = "followed", _("已回访")
    CANCELLED = "cancelled", _("已取消")


OPEN = (Status.REQUESTED, Status.ASSIGNED)


class Answer(models.TextChoices):
    YES = "yes", _("是")
    NO = "no", _("否")
    PARTLY = "partly", _("部分")
    UNKNOWN = "unknown", _("不清楚")


class FollowStatus(models.TextChoices):
    PENDING = "pending", _("待反馈")
    DONE = "done", _("已整改")
    DOING = "doing", _("整改中")
    DECLINED = "declined", _("不整改")
