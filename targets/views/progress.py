"""Progress pages: one unit's targets for a period, and the city's month (every team × indicator, the city's goals).

"时间过半、任务过半": each target shows the share reached beside the share of its period gone, and is flagged
behind when the first trails the second. Figures are counted by targets.selectors over the rows shown.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.scope import scope_of
from core.views import RoleRequiredMixin
from organizations.models import Unit

from .. import selectors
from ..filtersets import overlapping, target_units
from ..forms import MonthForm, PeriodForm, cities_of
from ..models import READER_ROLES, Target
from ..tables import Cell, city_progress

PER_PAGE = 50


def not_found():
    return Http404(_("未找到该记录，或您无权查看。"))


def own_unit(user):
    """The highest unit where the user holds a role: their page when they name none."""
    paths = scope_of(user).paths()
    if not paths:
        return None
    top = min(paths, key=lambda p: (p.count("/"), p))
    return Unit.objects.filter(pk=int(top.strip("/").split("/")[-1])).first()


def query_without(request, *names):
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


class UnitProgressView(RoleRequiredMixin, TemplateView):
    """One unit's targets (and its people's) covering a period, with progress bars and behind flags."""

    template_name = "targets/unit_progress.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        form = PeriodForm(request.GET or None)
        today = timezone.localdate()
        start, end = form.period_or(today)
        units = target_units(user)
        asked = request.GET.get("unit")
        if asked:
            try:
                unit = Unit.objects.filter(scope_of(user).subtree_q("path")).get(pk=int(asked))
            except (Unit.DoesNotExist, ValueError):
                raise not_found()
        else:
            unit = own_unit(user)
        targets = unit_targets(user, unit, start, end)
        page = Paginator(targets, PER_PAGE).get_page(request.GET.get("page"))
        rows = [Cell(p, True) for p in selectors.progress(list(page.object_list), today=today)]
        ctx.update(
            tab="unit",
            show_city=scope_of(user).has(*READER_ROLES),
            title=_("目标进度：%(unit)s") % {"unit": unit.name if unit else "—"},
            form=form,
            unit=unit,
            units=units,
            start=start,
            end=end,
            month=f"{start:%Y-%m}" if start.day == 1 and (start.year, start.month) == (end.year, end.month) else "",
            elapsed=selectors.elapsed_share(start, end, today),
            rows=rows,
            page=page,
            page_query=query_without(request, "page"),
        )
        return ctx


def unit_targets(user, unit, start, end):
    """The unit's own targets and its people's, as far as the user may see them, overlapping the period."""
    if unit is None:
        return Target.objects.none()
    mine = Q(unit=unit) | Q(person__home_unit=unit)
    return overlapping(selectors.targets_for(user).filter(mine), start, end).select_related("unit", "person")


class CityProgressView(RoleRequiredMixin, TemplateView):
    """The city's month: each team's figures against its targets, and the city-wide goals (e.g. "1521")."""

    template_name = "targets/city_progress.html"
    required_roles = READER_ROLES

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        form = MonthForm(request.GET or None)
        start, end = form.month_or(timezone.localdate())
        cities = list(cities_of(user, *READER_ROLES))
        city = choose_city(cities, form)
        table = city_progress(user, city, start, end)
        ctx.update(
            tab="city",
            show_city=True,
            title=_("%(city)s目标进度（%(month)s）") % {"city": city.name, "month": f"{start:%Y-%m}"},
            form=form,
            table=table,
            cities=cities,
            month=f"{start:%Y-%m}",
        )
        return ctx


def choose_city(cities, form):
    """The city asked for among the user's, else their first; none at all is a 404."""
    asked = form.cleaned_data.get("city") if form.is_valid() else None
    if asked:
        for city in cities:
            if city.pk == asked:
                return city
        raise not_found()
    if not cities:
        raise not_found()
    return cities[0]
