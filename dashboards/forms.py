"""The dashboard's choice of unit and period (the page, the print view, the export and the API read the same)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput

from .selectors import year_bounds


class DashboardForm(BootstrapMixin, forms.Form):
    """A unit among the user's (anything else is a 404, decided by the view) and a period, this year by default."""

    unit = forms.TypedChoiceField(label=_("单位"), coerce=int, required=False)
    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.fields["unit"].choices = [(u.pk, u.name) for u in self.units]
        self._style()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        # One date alone: the rest of its year.
        if start and not end:
            end = datetime.date(start.year, 12, 31)
        if end and not start:
            start = datetime.date(end.year, 1, 1)
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if start and end and (end - start).days > 366 * 10:
            self.add_error("end", _("统计期间不能超过十年。"))
        data["start"], data["end"] = start, end
        return data

    def period(self, today=None, fallback=None):
        """The period asked for; else `fallback()` when given, else this year."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        return fallback() if fallback is not None else year_bounds(today)

    def chosen_unit(self):
        """The unit asked for, else the user's first (their highest); None when they have none."""
        asked = self.cleaned_data.get("unit")
        for unit in self.units:
            if unit.pk == asked:
                return unit
        return self.units[0] if self.units else None


def asked_unit_is_foreign(data, units):
    """Whether `data` names a unit that is not among the user's (a 404: its existence is not revealed)."""
    asked = (data.get("unit") or "").strip() if hasattr(data, "get") else ""
    if not asked:
        return False
    return asked not in {str(u.pk) for u in units}
