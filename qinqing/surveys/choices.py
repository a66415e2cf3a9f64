from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    SCALE = "scale", _("五级量表")
    MATRIX = "matrix", _("矩阵量表")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文本")
    RANKING = "ranking", _("排序（选前 N 项）")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Audience(models.TextChoices):
    RULE = "rule", _("按条件选定企业")
    LINK = "link", _("开放链接")


class Source(models.TextChoices):
    ONLINE = "online", _("在线填写")
    IMPORT = "import", _("线下导入")


# The 5-point scale; 不了解 is outside the scale (coded 9, excluded from means and scores).
SCALE_LABELS = {
    1: _("非常不满意"),
    2: _("不满意"),
    3: _("一般"),
    4: _("满意"),
    5: _("非常满意"),
    9: _("不了解"),
}
UNKNOWN = 9

# Cross-tab dimensions: key → label.
DIMENSIONS = {
    "region": _("地区"),
    "industry": _("行业门类"),
    "size": _("企业规模"),
    "member": _("会员"),
}
