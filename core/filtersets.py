"""Filters for the audit log; the page (and any later export or API) filter the same way."""

import datetime
from pathlib import Path

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filtering import StyledFilterSet
from .models import AuditAction, AuditChainHead, AuditEvent, AuditResult
from .tables import CHINA_TZ

DATE = {"type": "date"}


def object_type_choices():
    """The project's own models, by their Chinese name: what records are written about."""
    base = Path(settings.BASE_DIR).resolve()
    choices = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or "site-packages" in path.parts:
            continue
        for model in config.get_models():
            if model in (AuditEvent, AuditChainHead):
                continue
            choices.append((model._meta.label_lower, f"{model._meta.verbose_name}（{model._meta.label_lower}）"))
    return sorted(choices, key=lambda c: c[0])


def start_of_day(day):
    """Midnight in the office's time zone: a date typed in Beijing time means that day there."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), CHINA_TZ)


class AuditFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("结束日期不能早于开始日期。"))
        return data


class AuditEventFilterSet(StyledFilterSet):
    created_from = django_filters.DateFilter(
        label=_("开始日期"), method="filter_from", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    created_to = django_filters.DateFilter(
        label=_("结束日期"), method="filter_to", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    actor = django_filters.CharFilter(label=_("操作人"), field_name="actor_name", lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("操作"), choices=AuditAction.choices, empty_label=_("全部"))
    object_type = django_filters.ChoiceFilter(label=_("对象类型"), choices=object_type_choices, empty_label=_("全部"))
    object_id = django_filters.CharFilter(label=_("对象ID"))
    # A prefix finds a whole office network ("10.12.") as well as one address.
    ip = django_filters.CharFilter(label=_("IP 地址"), lookup_expr="startswith")
    result = django_filters.ChoiceFilter(label=_("结果"), choices=AuditResult.choices, empty_label=_("全部"))

    class Meta:
        model = AuditEvent
        form = AuditFilterForm
        fields = ["created_from", "created_to", "actor", "action", "object_type", "object_id", "ip", "result"]

    # A range on the indexed column, not created_at__date: the date function would make
    # the database convert every row instead of using the index.
    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of_day(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=start_of_day(value + datetime.timedelta(days=1)))
