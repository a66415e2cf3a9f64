"""Notifications: an in-app inbox for every user, and outbound deliveries over configured channels."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel


class Notification(models.Model):
    """One message in a user's inbox (消息)."""

    # No index of its own: (recipient, read_at) and the unique (recipient, key) lead with it (core.schema_ops).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # Same event → same key: queuing it twice never makes two messages.
    key = models.CharField(_("去重键"), max_length=120)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    SMS = "sms", _("短信网关")


class Channel(TimeStampedModel):
    """An outbound channel configured for this deployment (e.g. the 督办 group's 企业微信 robot)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=ChannelKind.choices)
    target = models.CharField(
        _("目标"), max_length=500, help_text=_("邮箱地址、机器人Webhook地址或短信接收号码（多个用逗号分隔）")
    )
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    kinds = models.CharField(_("发送的消息类别"), max_length=300, blank=True, help_text=_("留空表示全部，逗号分隔"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("外发渠道")
        verbose_name_plural = _("外发渠道")

    def __str__(self) -> str:
        return self.name

    def accepts(self, kind: str) -> bool:
        wanted = [k.strip() for k in self.kinds.split(",") if k.strip()]
        return not wanted or any(kind.startswith(k) for k in wanted)


class ContactPoint(TimeStampedModel):
    """Where one user wants their own messages sent besides the inbox: an email address and a mobile
    number. Used only when the deployment enables personal email / configures an SMS gateway."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="contact_point"
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    email_enabled = models.BooleanField(_("接收邮件提醒"), default=True)
    sms_enabled = models.BooleanField(_("接收短信提醒"), default=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("个人接收方式")
        verbose_name_plural = _("个人接收方式")

    def __str__(self) -> str:
        return str(self.user)


class Delivery(TimeStampedModel):
    """One notification sent over one channel (a group robot, a mailing list) or to one recipient's own
    address (``channel`` empty, ``kind`` email/sms, ``address``); the unique key makes resending
    impossible."""

    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUS = [(PENDING, _("待发送")), (SENT, _("已发送")), (FAILED, _("发送失败"))]

    notification = models.ForeignKey(
        Notification, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("渠道"), null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(_("方式"), max_length=16, choices=ChannelKind.choices, blank=True)
    address = models.CharField(_("接收地址"), max_length=254, blank=True)
    key = models.CharField(_("幂等键"), max_length=80, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=STATUS, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return self.key
