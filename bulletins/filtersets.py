"""The one FilterSet for bulletins: the list page and the API filter the same way."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtering import StyledFilterSet, yes_no_filter

from .choices import Status
from .forms import MONTHS
from .models import Bulletin


class BulletinFilterSet(StyledFilterSet):
    year = django_filters.NumberFilter(label=_("年份"))
    month = django_filters.ChoiceFilter(label=_("月份"), choices=MONTHS)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    published = yes_no_filter(_("已印发"), field_name="published_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Bulletin
        fields = ["year", "month", "status", "published"]
