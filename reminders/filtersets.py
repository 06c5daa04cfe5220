"""The FilterSets of the reminder pages: a person's notifications (the page and the API filter the same way), and the
office's channels."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtering import StyledFilterSet, yes_no_filter

from .choices import ChannelKind, ReminderKind
from .models import Channel, Notification


class NotificationFilterSet(StyledFilterSet):
    unread = yes_no_filter(_("未读"), method="filter_unread")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ReminderKind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class ChannelFilterSet(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label=_("渠道类型"), choices=ChannelKind.choices)
    active = yes_no_filter(_("启用"), field_name="active")

    class Meta:
        model = Channel
        fields = ["kind", "active"]
