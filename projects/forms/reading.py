"""The rounds' forms, the counting rules, and the filters of the reading pages (dispatch, library, rates)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput
from leads.forms import plain_amount
from organizations.choices import UnitKind
from organizations.models import Unit
from outreach.forms import UnitChoiceField

from .. import selectors
from ..choices import (
    Batch,
    RoundLevel,
    Stage,
)
from ..models import Project
from .common import (
    HOST_KINDS,
    MonthField,
    amount_field,
    host_units_for,
    textarea,
)

# --- Rounds ------------------------------------------------------------------------------------


class RoundForm(BootstrapMixin, forms.Form):
    host_unit = UnitChoiceField(label=_("举办单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("活动名称"), max_length=200)
    held_on = forms.DateField(label=_("活动日期"), widget=DateInput())
    level = forms.ChoiceField(label=_("级别"), choices=RoundLevel.choices, initial=RoundLevel.PROVINCE)
    rate_decimals = forms.TypedChoiceField(
        label=_("比率公布的小数位数"),
        choices=[(0, _("0（如 96%）")), (1, _("1（如 71.7%）")), (2, _("2（如 71.70%）"))],
        coerce=int,
        initial=1,
    )
    note = forms.CharField(label=_("备注"), required=False, widget=textarea(2))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units_for(user)
        self._style()

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["note"] = data.get("note") or ""
        return data


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_stage_display()}）"


# Stages in which a project may be listed in a round (the service checks the batch against the stage).
ROUND_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY, Stage.SUSPENDED)


class RoundEntryForm(BootstrapMixin, forms.Form):
    """List a project of the round's host under one batch, with its investment as listed."""

    project = ProjectChoiceField(label=_("项目"), queryset=Project.objects.none())
    batch = forms.ChoiceField(label=_("批次"), choices=Batch.choices)
    investment = amount_field(_("列入时总投资（万元）"), help_text=_("不填则取项目当前总投资。"))

    def __init__(self, *args, round=None, user=None, **kwargs):
        self.round = round
        kwargs.setdefault("prefix", "entry")
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            selectors.projects_for(user)
            .filter(host_unit__path__startswith=round.host_unit.path, stage__in=ROUND_STAGES)
            .select_related("host_unit")
            .order_by("name", "id")
        )
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        return {"project": data["project"], "batch": data["batch"], "investment": data.get("investment") or None}


# --- Settings and the filters of the reading pages -----------------------------------------------------


class ProjectSettingsForm(BootstrapMixin, forms.Form):
    min_count_amount = amount_field(
        _("计入统计的最低总投资（万元）"),
        required=True,
        help_text=_("低于此金额的签约项目不计入项目个数和金额；如 10000 或“1亿”，0 表示不设下限。"),
    )
    progress_due_day = forms.IntegerField(label=_("月度进展报送截止日（次月几日）"), min_value=1, max_value=28)

    def __init__(self, *args, settings=None, **kwargs):
        if settings is not None:
            kwargs.setdefault(
                "initial",
                {
                    "min_count_amount": plain_amount(settings.min_count_amount) or "0",
                    "progress_due_day": settings.progress_due_day,
                },
            )
        super().__init__(*args, **kwargs)
        self._style()

    def service_kwargs(self):
        return dict(self.cleaned_data)


class UnitFilterForm(BootstrapMixin, forms.Form):
    """The unit a reading page is about (a county, zone or department the user may see): none means all."""

    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = (UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT)
        self.fields["unit"].queryset = (
            Unit.objects.visible_to(user).filter(kind__in=kinds, active=True).order_by("path")
        )
        self._style()


class DispatchForm(UnitFilterForm):
    month = MonthField(label=_("月份"), required=False)


class RatesForm(UnitFilterForm):
    start = forms.DateField(label=_("活动日期起"), required=False, widget=DateInput())
    end = forms.DateField(label=_("活动日期止"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(kind__in=HOST_KINDS)
