"""Forms of the target pages: they check the shape; targets.services decides (and says why in Chinese)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput
from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit, User
from outreach.forms import PeopleChoiceField, PersonChoiceField, UnitChoiceField
from projects.forms.common import MonthField

from . import services
from .choices import Indicator, Template
from .services import TARGET_UNIT_KINDS


def cities_of(user, *roles):
    """The cities where `user` holds one of `roles` (at the city, above it or inside it), in tree order."""
    scope = scope_of(user)
    inside = scope.subtree_q("path", *roles)
    above = Q(pk__in=scope.ancestor_ids(*roles))
    return Unit.objects.filter(inside | above, kind=UnitKind.CITY, active=True).order_by("path")


def office_city(user):
    """The city whose targets the office person sets (None for anyone else)."""
    return cities_of(user, Role.OFFICE_STAFF).first()


def city_units(city):
    """Every active unit of the city: the service says why a unit cannot carry a target."""
    return Unit.objects.filter(path__startswith=city.path, active=True).order_by("path")


def city_people(city):
    return User.objects.filter(home_unit__path__startswith=city.path, is_active=True).order_by("name", "username")


def value_field():
    return forms.CharField(
        label=_("目标值"),
        max_length=40,
        help_text=_("数量，或金额（万元，如 5000，也可写“5亿元”）。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class TargetForm(BootstrapMixin, PeriodMixin, forms.Form):
    """One target for a unit (or, for a person's indicator, a person)."""

    indicator = forms.ChoiceField(label=_("指标"), choices=Indicator.choices)
    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    person = PersonChoiceField(
        label=_("个人"), queryset=User.objects.none(), required=False, help_text=_("驻点天数、外出招商次数为个人指标。")
    )
    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())
    value = value_field()
    name = forms.CharField(label=_("任务名称"), max_length=100, required=False, help_text=_("如“百日大会战”"))

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        units = self.fields["unit"]
        units.queryset = city_units(city)
        # Offer only units that carry targets; any unit of the city is accepted so the service can say why not.
        units.widget.choices = [("", "---------")] + [
            (u.pk, u.name) for u in units.queryset if u.kind in TARGET_UNIT_KINDS
        ]
        self.fields["person"].queryset = city_people(city)
        self._style()


class TargetEditForm(BootstrapMixin, PeriodMixin, forms.Form):
    value = value_field()
    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())
    name = forms.CharField(label=_("任务名称"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ApplyTemplateForm(BootstrapMixin, forms.Form):
    """Seed 000's targets for many units or people at once: all of them, or none."""

    template = forms.ChoiceField(label=_("模板"), choices=Template.choices)
    month_from = MonthField(label=_("起始月份"), required=False, help_text=_("月度常规目标：每个月一组。"))
    month_to = MonthField(label=_("截止月份"), required=False)
    start = forms.DateField(label=_("开始日期"), widget=DateInput(), required=False, help_text=_("其他模板的期间。"))
    end = forms.DateField(label=_("结束日期"), widget=DateInput(), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    people = PeopleChoiceField(
        label=_("人员（个人年度目标）"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=_("任务名称"), max_length=100, required=False)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        units = self.fields["units"]
        units.queryset = city_units(city)
        # As in TargetForm: offer the units that carry targets, let the service say why another cannot.
        units.widget.choices = [(u.pk, u.name) for u in units.queryset if u.kind in TARGET_UNIT_KINDS]
        self.fields["people"].queryset = city_people(city)
        if not self.is_bound:
            self.initial.setdefault("units", [u.pk for u in services.teams_of(city)])
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("template") == Template.ROUTINE_MONTHLY:
            first, last = data.get("month_from"), data.get("month_to") or data.get("month_from")
            if not first:
                self.add_error("month_from", _("请选择起始月份。"))
                return data
            if last < first:
                self.add_error("month_to", _("截止月份不能早于起始月份。"))
                return data
            data["start"] = first
            data["end"] = services.month_range(last.year, last.month)[1]
        elif data.get("template"):
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("请填写开始日期。"))
            if not end:
                self.add_error("end", _("请填写结束日期。"))
            if start and end and end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class PeriodForm(forms.Form):
    """The period of a progress page: a month (YYYY-MM), or a start and an end."""

    unit = forms.IntegerField(required=False)
    period = MonthField(required=False)
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("请同时填写开始日期和结束日期。"))
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def period_or(self, today):
        """The period asked for, else the month of `today`."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        month = data.get("period") or today.replace(day=1)
        return services.month_range(month.year, month.month)


class MonthForm(forms.Form):
    month = MonthField(required=False)
    city = forms.IntegerField(required=False)

    def month_or(self, today):
        data = self.cleaned_data if self.is_valid() else {}
        month = data.get("month") or today.replace(day=1)
        return services.month_range(month.year, month.month)
