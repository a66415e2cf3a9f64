"""What the operations of the platform leave behind: the record of every backup made."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel


class BackupRecord(TimeStampedModel):
    """One backup run (scheduled or by command): where the archive went, how big it is, and whether it worked."""

    class Status(models.TextChoices):
        OK = "ok", _("成功")
        FAILED = "failed", _("失败")

    path = models.CharField(_("备份文件"), max_length=500, blank=True)
    size = models.BigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64, blank=True)
    encrypted = models.BooleanField(_("已加密"), default=False)
    engine = models.CharField(_("数据库"), max_length=20, blank=True)
    tables = models.PositiveIntegerField(_("表数"), default=0)
    rows = models.BigIntegerField(_("记录数"), default=0)
    files = models.PositiveIntegerField(_("附件与检查点文件数"), default=0)
    seconds = models.FloatField(_("耗时（秒）"), default=0)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices, default=Status.OK)
    error = models.TextField(_("错误"), blank=True)
    scheduled = models.BooleanField(_("定时备份"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("备份记录")
        verbose_name_plural = _("备份记录")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.path}"
