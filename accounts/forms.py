"""Forms for signing in, the second factor and changing one's password.

They check shape only; the rules are in accounts.services and the password validators.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .validators import password_rules

# Long enough for any passphrase a person types; short enough that hashing it is cheap.
PASSWORD_MAX_LENGTH = 128


class LoginForm(AuthenticationForm):
    """Username and password, checked by django.contrib.auth.authenticate(request=...).

    Going through authenticate() is what lets django-axes count failures and lock out.
    """

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )

    error_messages = {
        "invalid_login": _("用户名或密码错误，请重新输入。连续输错多次，账号将被临时锁定。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class TokenForm(forms.Form):
    """The 6 digits the authenticator app shows now."""

    token = forms.CharField(
        label=_("动态口令"),
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("请输入 6 位数字。"))],
        error_messages={
            "required": _("请输入动态口令。"),
            "min_length": _("请输入 6 位数字。"),
            "max_length": _("请输入 6 位数字。"),
        },
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "maxlength": "6",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class PasswordChangeForm(forms.Form):
    """Current password, new password twice. The service checks the current one and the rules."""

    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={"required": _("请输入原密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )
    new_password = forms.CharField(
        label=_("新密码"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={
            "required": _("请输入新密码。"),
            "max_length": _("密码最长 %(limit_value)d 个字符。"),
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-control"}),
    )
    new_password_repeat = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={"required": _("请再次输入新密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = " ".join(password_rules())

    def clean(self):
        cleaned = super().clean()
        new, repeat = cleaned.get("new_password"), cleaned.get("new_password_repeat")
        if new and repeat and new != repeat:
            self.add_error("new_password_repeat", _("两次输入的新密码不一致。"))
        return cleaned
