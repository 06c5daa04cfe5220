"""Pages under /dashboards/: the dashboard of a unit and a period, its print view and its Excel export. Thin: the
form checks the shape, dashboards.selectors counts (through the cache), dashboards.services exports.

A unit the user may not open is a 404 whoever asks, and its name is never shown.
"""

import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.views import RoleRequiredMixin

from . import caching, selectors, services
from .charts import dashboard_charts
from .forms import DashboardForm, asked_unit_is_foreign
from .tables import dashboard_tables

YEAR_LINKS = 5


def not_found():
    return Http404(_("未找到该记录，或您无权查看。"))


def resolve(request):
    """(form, unit, start, end) for the request; a unit not among the user's is a 404."""
    user = request.user
    units = selectors.units_for(user)
    if not units or asked_unit_is_foreign(request.GET, units):
        raise not_found()
    form = DashboardForm(request.GET, units=units)
    if not form.is_valid():
        return form, None, None, None
    unit = form.chosen_unit()
    start, end = form.period(fallback=lambda: selectors.default_period(user, unit))
    return form, unit, start, end


def figures_for(user, unit, start, end):
    return caching.figures(user, unit, start, end, lambda: selectors.dashboard(user, unit, start, end))


def updated_at(figures):
    return datetime.datetime.fromisoformat(figures["computed_at"]).strftime("%H:%M")


def key_figures(figures):
    """The cards at the top: the funnel's ends, the money, the open problems."""
    funnel = {f["key"]: f for f in figures["funnel"]}
    picked = [funnel[k] for k in ("visited", "leads", "effective_leads", "signed", "started")]
    return picked + figures["money"] + figures["problems"]


def sections(tables, charts):
    """The page's sections in order: a chart (or none) beside its tables."""
    return [
        {
            "key": "funnel",
            "title": _("招商漏斗"),
            "chart": charts["funnel"],
            "tables": [tables["funnel"], tables["money"]],
        },
        {"key": "rates", "title": _("“三个一批”比率"), "chart": None, "tables": [tables["rates"]]},
        {"key": "teams", "title": _("招商组、小分队排名"), "chart": charts["teams"], "tables": [tables["teams"]]},
        {"key": "areas", "title": _("县（市、区）、开发区排名"), "chart": charts["areas"], "tables": [tables["areas"]]},
        {
            "key": "origins",
            "title": _("投资方来源"),
            "chart": charts["regions"],
            "tables": [tables["regions"], tables["provinces"]],
        },
        {"key": "chains", "title": _("按产业链"), "chart": charts["chains"], "tables": [tables["chains"]]},
        {
            "key": "cycles",
            "title": _("项目周期与问题诉求"),
            "chart": None,
            "tables": [tables["cycles"], tables["problems"]],
        },
    ]


class DashboardMixin(RoleRequiredMixin):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        form, unit, start, end = resolve(request)
        ctx.update(form=form, units=form.units, unit=unit, start=start, end=end, title=_("领导驾驶舱"))
        if unit is None:
            return ctx
        figures = figures_for(request.user, unit, start, end)
        query = urlencode({"unit": unit.pk, "start": start.isoformat(), "end": end.isoformat()})
        this_year = timezone.localdate().year
        tables = {t.key: t for t in dashboard_tables(figures)}
        charts = {c["key"]: c for c in dashboard_charts(figures)}
        ctx.update(
            title=_("%(unit)s领导驾驶舱") % {"unit": unit.name},
            figures=figures,
            cards=key_figures(figures),
            sections=sections(tables, charts),
            tables=tables,
            updated_at=updated_at(figures),
            query=query,
            print_url=f"{reverse('dashboards:print')}?{query}",
            export_url=f"{reverse('dashboards:export')}?{query}",
            api_url=f"{reverse('dashboards_api:dashboard')}?{query}",
            years=[
                (
                    year,
                    urlencode({"unit": unit.pk, "start": f"{year}-01-01", "end": f"{year}-12-31"}),
                    start == datetime.date(year, 1, 1) and end == datetime.date(year, 12, 31),
                )
                for year in range(this_year, this_year - YEAR_LINKS, -1)
            ],
        )
        return ctx


class DashboardView(DashboardMixin, TemplateView):
    """The dashboard: cards and charts, every number a link to the records behind it."""

    template_name = "dashboards/dashboard.html"


class DashboardPrintView(DashboardMixin, TemplateView):
    """The same figures laid out for paper: no navigation, no forms (a print stylesheet)."""

    template_name = "dashboards/print.html"

    def get_context_data(self, **kwargs):
        # The menu's entries are left out (the view's context overrides the context processor's).
        return {**super().get_context_data(**kwargs), "nav_items": [], "printing": True}


class DashboardExportView(RoleRequiredMixin, View):
    """Every table of the dashboard as an .xlsx, one sheet each."""

    def get(self, request):
        form, unit, start, end = resolve(request)
        if unit is None:
            view = DashboardView.as_view()
            response = view(request)
            response.status_code = 400
            return response
        figures = figures_for(request.user, unit, start, end)
        content = services.export_dashboard(actor=request.user, unit=unit, figures=figures)
        filename = _("%(unit)s领导驾驶舱_%(start)s_%(end)s.xlsx") % {
            "unit": unit.name,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
