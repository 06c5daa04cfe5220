"""Forms of the report pages: they check the shape; reports.services decides (and says why in Chinese)."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput, RecordActionForm
from organizations.models import Unit
from outreach.forms import UnitChoiceField
from projects.forms.common import MonthField

from . import selectors
from .choices import ReportKind
from .periods import last_finished

WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*W(\d{1,2})\s*$", re.IGNORECASE)


def parse_week(value):
    """ "2022-W41" (what a week picker sends) or a date of the week: that week's Monday."""
    if isinstance(value, datetime.date):
        return value - datetime.timedelta(days=value.weekday())
    text = str(value or "").strip()
    match = WEEK.match(text)
    try:
        if match:
            return datetime.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise forms.ValidationError(_("请选择周次，如 2022-W41，或填写该周中的一天（如 2022-10-12）。"))
    return day - datetime.timedelta(days=day.weekday())


def week_value(monday):
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


class WeekInput(forms.TextInput):
    input_type = "week"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return week_value(value)
        return super().format_value(value)


class WeekField(forms.CharField):
    widget = WeekInput

    def to_python(self, value):
        value = super().to_python(value)
        return parse_week(value) if value else None


class DraftForm(BootstrapMixin, forms.Form):
    """起草周报/起草月报: which of the user's teams (or squads), which week or month."""

    unit = UnitChoiceField(label=_("报送单位"), queryset=Unit.objects.none())

    def __init__(self, *args, user, kind, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        units = selectors.writable_units(user)
        self.fields["unit"].queryset = units
        if kind == ReportKind.WEEKLY:
            self.fields["period"] = WeekField(label=_("周次"), help_text=_("一周为周一至周日；默认为上一个完整的周。"))
        else:
            self.fields["period"] = MonthField(label=_("月份"), help_text=_("默认为上一个完整的月份。"))
        self.initial.setdefault("period", last_finished(kind, today))
        first = units.first()
        if first is not None:
            self.initial.setdefault("unit", first.pk)
        self._style()


class ReportEditForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("系统按本期台账记录起草；请补充完善，并填写下一步工作打算。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ActionForm(RecordActionForm):
    """One action on a report's page; `name` names its URL (`reports:report_<name>`) and its block."""

    record_kwarg = "report"
    url_prefix = "reports:report_"


class SubmitForm(ActionForm):
    name = "submit"
    title = _("提交报告")
    submit_label = _("提交至招商中心")
    button_class = "btn-success"

    def service_kwargs(self):
        return {}


class ReadForm(ActionForm):
    name = "read"
    title = _("阅示")
    submit_label = _("标记为已阅")
    button_class = "btn-success"

    comment = forms.CharField(
        label=_("批示/意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReturnForm(ActionForm):
    name = "return"
    title = _("退回修改")
    submit_label = _("退回修改")
    button_class = "btn-outline-danger"

    reason = forms.CharField(label=_("退回原因"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


ACTION_FORMS = {"submit": SubmitForm, "read": ReadForm, "return": ReturnForm}


class MissingForm(BootstrapMixin, forms.Form):
    """The 未报清单's choices: which reports, which days, which city."""

    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("周报和月报")), *ReportKind.choices], required=False)
    start = forms.DateField(label=_("期间结束于（起）"), required=False, widget=DateInput())
    end = forms.DateField(label=_("期间结束于（止）"), required=False, widget=DateInput())
    city = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = css.replace("form-select", "form-select form-select-sm").replace(
                "form-control", "form-control form-control-sm"
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def range_or(self, today, days):
        """The chosen days, or the last `days` days before today."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today - datetime.timedelta(days=1)
        start = data.get("start") or end - datetime.timedelta(days=days - 1)
        return start, end
