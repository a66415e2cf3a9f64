"""Password rules of the 等保 profile beyond Django's own: character classes and no reuse."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊符号中的至少%(min_classes)s类")
                % {"min_classes": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、特殊符号中的至少%(min_classes)s类。") % {
            "min_classes": self.min_classes
        }


class PasswordHistoryValidator:
    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        earlier = list(user.password_history.values_list("password", flat=True)[: max(self.history - 1, 0)])
        if user.password:
            earlier.append(user.password)
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                _("新密码不能与最近%(history)s次使用过的密码相同") % {"history": self.history}, code="password_reused"
            )

    def get_help_text(self):
        return _("不能与最近%(history)s次使用过的密码相同。") % {"history": self.history}
