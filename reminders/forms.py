"""Forms of the channel pages: they check the shape; reminders.services decides (and says why in Chinese)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin
from organizations.models import Unit

from . import selectors
from .choices import ChannelKind, ReminderKind

URL_HELP = _(
    "企业微信：群机器人的 Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）；"
    "钉钉：自定义机器人的 Webhook 地址（https://oapi.dingtalk.com/robot/send?access_token=…）。电子邮件不用填写。"
)
SECRET_HELP = _("仅钉钉：机器人安全设置选择“加签”时的密钥（SEC 开头）；不加签可不填。")


def kinds_field():
    return forms.MultipleChoiceField(
        label=_("发送的提醒类型"),
        choices=ReminderKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则发送全部类型。"),
    )


class ChannelForm(BootstrapMixin, forms.Form):
    """A new channel of one of the user's cities."""

    owner = forms.ModelChoiceField(label=_("所属城市"), queryset=Unit.objects.none(), empty_label=None)
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如“招商中心工作群”。"))
    kind = forms.ChoiceField(label=_("渠道类型"), choices=ChannelKind.choices)
    webhook_url = forms.CharField(label=_("机器人 Webhook 地址"), required=False, max_length=500, help_text=URL_HELP)
    secret = forms.CharField(
        label=_("加签密钥"), required=False, max_length=200, widget=forms.PasswordInput, help_text=SECRET_HELP
    )
    kinds = kinds_field()
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.channel_cities(user)
        self._style()


class ChannelEditForm(BootstrapMixin, forms.Form):
    """A channel's changes; its city and kind stay. The secret is never shown: blank keeps it."""

    name = forms.CharField(label=_("名称"), max_length=100)
    webhook_url = forms.CharField(label=_("机器人 Webhook 地址"), required=False, max_length=500, help_text=URL_HELP)
    secret = forms.CharField(
        label=_("加签密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput,
        help_text=_("不修改请留空。") + SECRET_HELP,
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的加签密钥"), required=False)
    kinds = kinds_field()
    active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        if channel.kind != ChannelKind.DINGTALK:
            del self.fields["secret"]
            del self.fields["clear_secret"]
        if channel.kind == ChannelKind.EMAIL:
            del self.fields["webhook_url"]
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {"name": data["name"], "kinds": list(data.get("kinds") or []), "active": data.get("active", False)}
        if "webhook_url" in self.fields:
            kwargs["webhook_url"] = data.get("webhook_url", "")
        if "secret" in self.fields:
            if data.get("clear_secret"):
                kwargs["secret"] = ""
            elif data.get("secret"):
                kwargs["secret"] = data["secret"]
        return kwargs
