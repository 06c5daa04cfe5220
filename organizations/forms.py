"""Forms validate the shape of what a page sends; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin

from .choices import Role, TargetRegion, UnitKind
from .models import Unit, phone_validator


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "\u3000" * max(obj.depth, 0)
        return f"{indent}{obj.name}（{obj.get_kind_display()}）"


def editable_units(user):
    return Unit.objects.editable_by(user).filter(active=True).order_by("path")


class UnitForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("编码"), max_length=32, help_text=_("全市唯一，如 YC-YH，字母、数字、连字符。"))
    name = forms.CharField(label=_("名称"), max_length=100)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    base_city = forms.CharField(
        label=_("驻点城市"), max_length=50, required=False, help_text=_("仅驻点招商组、小分队填写。")
    )
    target_regions = forms.MultipleChoiceField(
        label=_("目标区域"), choices=TargetRegion.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    focus = forms.CharField(label=_("重点方向"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def changes(self):
        data = dict(self.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        return data


class UnitCreateForm(UnitForm):
    field_order = ["parent", "kind", "code", "name"]

    parent = UnitChoiceField(label=_("上级单位"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["parent"].queryset = editable_units(user)
        self.order_fields(self.field_order)
        self._style()


class UnitMoveForm(BootstrapMixin, forms.Form):
    parent = UnitChoiceField(label=_("新的上级单位"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only places the unit may go: not itself, not under itself.
        self.fields["parent"].queryset = editable_units(user).exclude(path__startswith=unit.path)
        self._style()


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PasswordPairMixin:
    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


class PersonForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    home_unit = UnitChoiceField(label=_("所属单位"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False, validators=[phone_validator])
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = editable_units(user)
        self._style()


class PersonCreateForm(PasswordPairMixin, PersonForm):
    field_order = ["username", "name", "home_unit", "role", "title", "phone", "email", "password1", "password2"]

    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，字母、数字及 @.+-_。"))
    role = forms.ChoiceField(label=_("在所属单位的角色"), choices=[("", "—")] + list(Role.choices), required=False)
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认初始密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.order_fields(self.field_order)
        self._style()


class ResetPasswordForm(PasswordPairMixin, BootstrapMixin, forms.Form):
    password1 = forms.CharField(label=_("临时密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认临时密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AssignRoleForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = editable_units(user)
        self._style()
