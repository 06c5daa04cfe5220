"""Forms of the assessment pages: they check the shape; assessment.services decides (and says why in Chinese).

A scheme's indicators are a formset (indicator, weight, rule, cap); rows left blank are ignored. The weights are
handed to the service as typed, so "各项权重之和须为 100，现为 95。" and the other refusals come from one place.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput
from targets.choices import PERSON_INDICATORS, Indicator

from .choices import Rule, Subjects

# The indicators a unit is scored on (a person's days stationed and trips are not).
UNIT_INDICATORS = [(value, label) for value, label in Indicator.choices if value not in PERSON_INDICATORS]


class SchemeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100, help_text=_("如“2022年驻点招商组月度考核”"))
    subjects = forms.ChoiceField(label=_("考核对象"), choices=Subjects.choices)
    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("考核办法、奖惩等。")
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Whom a scheme ranks is fixed once it exists: its locked results name those units.
            self.fields["subjects"].disabled = True
            self.fields["subjects"].help_text = _("考核对象建立后不能更改。")
        self._style()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class ItemForm(BootstrapMixin, forms.Form):
    """One indicator of the scheme; a row with neither indicator nor weight is left out."""

    indicator = forms.ChoiceField(label=_("指标"), choices=[("", "---------"), *Indicator.choices], required=False)
    weight = forms.CharField(
        label=_("权重（分）"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "data-weight": "1"}),
    )
    rule = forms.ChoiceField(label=_("计分规则"), choices=Rule.choices, initial=Rule.SHARE)
    cap = forms.CharField(
        label=_("封顶（%）"),
        max_length=12,
        required=False,
        initial="100",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the units' indicators; any indicator is accepted so the service can say why a person's is not.
        self.fields["indicator"].widget.choices = [("", "---------"), *UNIT_INDICATORS]
        self._style()

    def clean(self):
        data = super().clean()
        indicator, weight = data.get("indicator"), (data.get("weight") or "").strip()
        if weight and not indicator:
            self.add_error("indicator", _("请选择指标。"))
        if indicator and not weight:
            self.add_error("weight", _("请填写权重。"))
        return data

    @property
    def is_blank(self):
        data = getattr(self, "cleaned_data", None) or {}
        return not data.get("indicator") and not (data.get("weight") or "").strip()


class BaseItemFormSet(forms.BaseFormSet):
    def items(self):
        """The rows filled in, in order, as the service takes them."""
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or form.is_blank:
                continue
            out.append(
                {"indicator": data["indicator"], "weight": data["weight"], "rule": data["rule"], "cap": data["cap"]}
            )
        return out

    def weight_sum(self):
        """The sum of the weights typed so far (unreadable ones left out): shown beside the rows."""
        total = Decimal(0)
        for form in self.forms:
            raw = form["weight"].value() if not form["DELETE"].value() else None
            try:
                total += Decimal(str(raw).strip()) if raw not in (None, "") else 0
            except InvalidOperation:
                continue
        return total if total.is_finite() else Decimal(0)


def item_formset(*, data=None, initial=None):
    initial = initial or []
    factory = forms.formset_factory(
        ItemForm, formset=BaseItemFormSet, extra=max(3, 6 - len(initial)), can_delete=True, max_num=20
    )
    formset = factory(data=data, initial=initial, prefix="items")
    for form in formset.forms:
        form.fields["DELETE"].label = _("删除")
        form.fields["DELETE"].widget.attrs.setdefault("class", "form-check-input")
    return formset


def items_initial(items):
    """A scheme's items as the formset shows them."""
    return [{"indicator": i.indicator, "weight": _plain(i.weight), "rule": i.rule, "cap": _plain(i.cap)} for i in items]


def _plain(value):
    value = Decimal(value)
    return f"{value.normalize():f}" if value != value.to_integral_value() else str(value.to_integral_value())


class LockForm(BootstrapMixin, forms.Form):
    start = forms.DateField(widget=forms.HiddenInput())
    end = forms.DateField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("如“经主任办公会审定后通报”。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
