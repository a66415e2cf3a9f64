"""User accounts: one organisation and one role each; password history for the 等保 profile."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import EncryptedCharField
from qinqing.core.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, *args, **kwargs):
        raise NotImplementedError(gettext("亲清不设超级用户：请用 manage.py create_admin 创建三员账号"))


class User(AbstractBaseUser):
    """A person who signs in. There is no superuser flag: every right comes from the role."""

    username = models.CharField(_("账号"), max_length=150, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="users"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）"

    # The permission API Django's auth expects, answered by the role table only.
    @property
    def is_superuser(self) -> bool:
        return False

    @property
    def is_staff(self) -> bool:
        return False

    def get_all_permissions(self, obj=None) -> set[str]:
        from qinqing.core.roles import permissions_for

        return set(permissions_for(self.role)) if self.is_active else set()

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm in self.get_all_permissions()

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p) for p in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions())

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class PasswordHistory(models.Model):
    """Earlier password hashes, so the last N cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """An API token. Only its SHA-256 digest and its first characters are stored: a copy of the database
    lets nobody call the API. The key itself is shown once, when it is issued."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("令牌前缀"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238). Unconfirmed until the first code is entered."""

    user = models.OneToOneField(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="totp")
    secret = EncryptedCharField(max_length=64)  # sealed with SM4 at rest (core.crypto), opened to check codes
    confirmed_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0)  # the last accepted time step: a code works once
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("两步验证设备")
        verbose_name_plural = _("两步验证设备")

    def __str__(self) -> str:
        return f"{self.user_id}"


class RecoveryCode(models.Model):
    """A one-time code that replaces the authenticator once; stored as a password hash."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user_id} #{self.pk}"


class AccountRequest(models.Model):
    """A new account or a role change proposed by a 系统管理员; it takes effect only when a
    安全管理员 approves it (two-person rule of 三员分立)."""

    class Kind(models.TextChoices):
        CREATE = "create", _("新建账号")
        CHANGE = "change", _("变更角色或组织")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        CANCELLED = "cancelled", _("已撤回")

    kind = models.CharField(_("申请类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    target = models.ForeignKey(
        User, verbose_name=_("账号"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    username = models.CharField(_("账号"), max_length=150)
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    org = models.ForeignKey("orgs.Organization", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    password_hash = models.CharField(max_length=128, blank=True)  # a new account's initial password, hashed
    proposed_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    reason = models.CharField(_("审批意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("账号申请")
        verbose_name_plural = _("账号申请")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"
