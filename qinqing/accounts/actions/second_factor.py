"""The TOTP second factor and its recovery codes."""

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit

from .. import totp
from ..models import RecoveryCode, TOTPDevice, User

# --- TOTP second factor ----------------------------------------------------------------------------


def _store_recovery_codes(user: User) -> list[str]:
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=make_password(code)) for code in codes])
    return codes


@transaction.atomic
def enable_totp(user: User, *, secret: str, code: str, now=None) -> list[str]:
    """Bind an authenticator after the user typed its first code; returns new recovery codes (shown once)."""
    step = totp.matching_step(secret, code, now or timezone.now())
    if step is None:
        raise ValidationError({"code": _("验证码不正确或已过期，请输入验证器上当前显示的6位数字")})
    TOTPDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step}
    )
    codes = _store_recovery_codes(user)
    audit.record("security.totp_enabled", obj=user, actor=user)
    return codes


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def verify_second_factor(user: User, code: str, *, now=None) -> bool:
    """A current TOTP code (each step once) or an unused recovery code (each once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    if totp.looks_like_recovery_code(code):
        wanted = totp.normalise_recovery_code(code)
        for recovery in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
            if check_password(wanted, recovery.code_hash):
                recovery.used_at = timezone.now()
                recovery.save(update_fields=["used_at"])
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                audit.record("security.recovery_code_used", obj=user, actor=user, after={"left": left})
                return True
        return False
    step = totp.matching_step(device.secret, code, now or timezone.now(), after_step=device.last_step)
    if step is None:
        return False
    device.last_step = step
    device.save(update_fields=["last_step", "updated_at"])
    return True


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    if not has_totp(user):
        raise ValidationError({"__all__": _("请先绑定验证器")})
    codes = _store_recovery_codes(user)
    audit.record("security.recovery_codes_renewed", obj=user, actor=user)
    return codes


@transaction.atomic
def disable_totp(user: User, *, actor) -> None:
    """The user turns the second factor off (not allowed where the role requires it), or a 安全管理员
    clears it for a user who lost the authenticator and the recovery codes (they bind a new one at the
    next sign-in if their role requires it)."""
    if actor.pk == user.pk:
        if totp.required_for(user.role):
            raise ValidationError({"__all__": _("您的角色必须使用两步验证，不能关闭")})
    else:
        from ..lockouts import username_in_scope

        if not actor.has_perm("accounts.unlock_user") or not username_in_scope(actor, user.username):
            raise PermissionDenied(_("您的账号没有重置两步验证的权限"))
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record("security.totp_disabled", obj=user, actor=actor)
