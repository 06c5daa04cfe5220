"""Forms check the shape of what the directory pages send; enterprises.services decides and writes."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin

from . import selectors
from .choices import CompanyCategory, CompanyKind, CompanySize
from .models import Company


class SegmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.chain.name} · {obj.get_position_display()} · {obj.name}"


class CompanyForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, required=False, help_text=_("18 位，填写后按代码查重。")
    )
    kind = forms.ChoiceField(label=_("机构类型"), choices=CompanyKind.choices, initial=CompanyKind.COMPANY)
    category = forms.ChoiceField(
        label=_("企业类别"),
        choices=[("", _("按机构类型自动"))] + list(CompanyCategory.choices),
        required=False,
    )
    size = forms.ChoiceField(label=_("规模"), choices=CompanySize.choices, required=False)
    province = forms.CharField(label=_("所在省份"), max_length=20, required=False)
    city = forms.CharField(label=_("所在城市"), max_length=50, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    industry = forms.CharField(label=_("行业"), max_length=100, required=False)
    segments = SegmentChoiceField(
        label=_("产业链环节"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("按住 Ctrl 可多选。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    website = forms.CharField(label=_("网址"), max_length=200, required=False)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = selectors.visible_segments(user).order_by(
            "chain__sort_order", "chain_id", "position", "sort_order", "id"
        )
        # While the name or code is typed, the page asks which directory entries it may already be.
        check_url = reverse("enterprises:company_check")
        if company is not None:
            check_url += f"?exclude={company.pk}"
        for name in ("name", "credit_code"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": check_url,
                    "hx-trigger": "input changed delay:500ms, change",
                    "hx-target": "#company-matches",
                    "hx-include": "#id_name, #id_credit_code",
                    "autocomplete": "off",
                }
            )
        self._style()

    def changes(self):
        data = dict(self.cleaned_data)
        data["segments"] = list(data.get("segments") or [])
        return data


class ContactForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ContactEditForm(ContactForm):
    active = forms.BooleanField(label=_("有效"), required=False)


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [f"{obj.name}（#{obj.pk}）"]
        if obj.credit_code:
            parts.append(obj.credit_code)
        if obj.created_by_unit_id:
            parts.append(str(_("录入：%(unit)s") % {"unit": obj.created_by_unit.name}))
        return " · ".join(parts)


class MergeForm(BootstrapMixin, forms.Form):
    candidate = CandidateChoiceField(
        label=_("同名企业"),
        queryset=Company.objects.none(),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        empty_label=None,
    )
    absorb = forms.IntegerField(
        label=_("或填写要并入的企业编号"), min_value=1, required=False, help_text=_("企业详情页地址中的数字。")
    )
    reason = forms.CharField(label=_("合并原因"), max_length=200, required=False)

    def __init__(self, *args, user=None, keep=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.keep = keep
        self.fields["candidate"].queryset = selectors.merge_candidates(keep, user)
        self._style()

    def clean(self):
        cleaned = super().clean()
        candidate, number = cleaned.get("candidate"), cleaned.get("absorb")
        if self.errors:
            return cleaned
        if candidate is None and number is None:
            raise forms.ValidationError(_("请选择同名企业，或填写要并入的企业编号。"))
        if candidate is not None and number is not None and candidate.pk != number:
            raise forms.ValidationError(_("所选企业与填写的编号不一致，请只选其一。"))
        if candidate is None:
            candidate = selectors.visible_companies(self.user).filter(pk=number).first()
            if candidate is None:
                self.add_error("absorb", _("编号为 %(id)d 的企业不存在、已合并，或您无权查看。") % {"id": number})
                return cleaned
        if candidate.pk == self.keep.pk:
            self.add_error("absorb", _("不能把企业合并到它自己。"))
            return cleaned
        cleaned["target"] = candidate
        return cleaned
