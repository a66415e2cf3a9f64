"""Password rules of the 等保 profile beyond Django's own: character classes and no reuse."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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


class StrengthValidator:
    """Refuse passwords a guesser tries early (common words, keyboard walks, l33t, repeats), using the
    zxcvbn estimator. ``Passw0rd!``, ``Qwerty123!`` and ``Aa1aaaaa`` pass the length and character-class
    rules but score 1 of 4; the default minimum is 3."""

    FEEDBACK = {
        "dictionary": gettext_lazy("密码包含常见单词或常用密码"),
        "spatial": gettext_lazy("密码包含键盘上相邻的按键序列（如 qwerty、asdf）"),
        "repeat": gettext_lazy("密码包含重复的字符或片段"),
        "sequence": gettext_lazy("密码包含连续的字母或数字（如 abc、123）"),
        "date": gettext_lazy("密码包含日期或年份"),
        "regex": gettext_lazy("密码包含年份等容易猜到的片段"),
    }

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password, user=None):
        from zxcvbn import zxcvbn

        inputs = [v for v in (getattr(user, "username", ""), getattr(user, "name", "")) if v]
        result = zxcvbn(password[:100], user_inputs=inputs)  # zxcvbn is slow on very long input
        if result["score"] >= self.min_score:
            return
        patterns = [m.get("pattern") for m in result.get("sequence", []) if m.get("pattern") != "bruteforce"]
        reasons = [str(self.FEEDBACK[p]) for p in dict.fromkeys(patterns) if p in self.FEEDBACK]
        message = _("密码太容易被猜到，请换一个更难猜的密码（可用几个不相关的词组合）")
        if reasons:
            message = f"{message}：{'；'.join(reasons)}"
        raise ValidationError(message, code="password_too_guessable")

    def get_help_text(self):
        return _("不能使用常见密码、键盘序列或简单变形（如 Passw0rd!、Qwerty123!）。")
