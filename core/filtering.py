"""Base FilterSet: Bootstrap-styled widgets and yes/no choices in Chinese, for every list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

YES_NO = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


def yes_no_filter(label, **kwargs):
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=YES_NO), **kwargs)


class StyledFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class StartEndFilterForm(forms.Form):
    """A filter form for lists filtered by `start` and `end` dates: an end before the start is an error."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data
