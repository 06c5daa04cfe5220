"""The "生成通报" form: it checks the shape; bulletins.services decides (a month not yet over, and so on)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin

MONTHS = [(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)]


def previous_month(today):
    """The last month that is over: the one a bulletin is usually generated for."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class BulletinForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(
        label=_("年份"),
        error_messages={"required": _("请填写年份，如 2022。"), "invalid": _("请填写年份，如 2022。")},
    )
    month = forms.TypedChoiceField(
        label=_("月份"),
        choices=MONTHS,
        coerce=int,
        error_messages={"required": _("请选择月份（1—12）。"), "invalid_choice": _("请选择月份（1—12）。")},
    )
    number = forms.CharField(
        label=_("文号"), max_length=60, required=False, help_text=_("如“运招促〔2022〕10号”，可不填。")
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        required=False,
        help_text=_("不填则为“关于××××年×月份驻点招商工作情况的通报”。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
