"""Password rules of 等保 2.0 beyond Django's own: character classes and not the username.

Also a Chinese minimum-length rule: Django 5.2 changed the English text of its own, and
its Simplified Chinese catalogue has not caught up, so the stock message shows in English.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", re.compile(r"[a-z]")),
    ("upper", re.compile(r"[A-Z]")),
    ("digit", re.compile(r"[0-9]")),
    ("symbol", re.compile(r"[^A-Za-z0-9]")),
)


def too_short_message(min_length):
    return _("密码太短，至少需要 %(n)d 个字符。") % {"n": min_length}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in Chinese."""

    def get_error_message(self):
        return too_short_message(self.min_length)

    def get_help_text(self):
        return _("密码至少 %(n)d 个字符。") % {"n": self.min_length}


class CharacterClassesValidator:
    """At least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for _name, pattern in CLASSES if pattern.search(password or ""))
        if found < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}


class NotUsernameValidator:
    """The password may not be the username, forwards or backwards, in any case."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if username and (password or "").lower() in (username, username[::-1]):
            raise ValidationError(_("密码不能与用户名相同。"), code="password_is_username")

    def get_help_text(self):
        return _("密码不能与用户名相同。")


def validate_password(password, user=None):
    """Run every rule in AUTH_PASSWORD_VALIDATORS; each message comes out in Chinese.

    Raises one ValidationError listing every broken rule.
    """
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError([_in_chinese(error) for error in exc.error_list]) from exc


def _in_chinese(error):
    if error.code == "password_too_short":
        min_length = (error.params or {}).get("min_length", 8)
        return ValidationError(too_short_message(min_length), code=error.code)
    return error


def password_rules():
    """The rules in force, one sentence each, for the help text under a new-password field.

    Django's own validators get sentences in the same voice as ours.
    """
    rules = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            rules.append(_("密码至少 %(n)d 个字符。") % {"n": validator.min_length})
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            rules.append(_("不能与您的用户名、姓名等个人信息过于相似。"))
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            rules.append(_("不能是常见密码。"))
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            rules.append(_("不能全是数字。"))
        else:
            rules.append(str(validator.get_help_text()))
    return rules
