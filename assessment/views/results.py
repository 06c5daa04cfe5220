"""A scheme's results for a period: the ranking, each unit's breakdown with the records behind each figure, the
office's lock, and the ranking as Excel.

The period is a month of the scheme (by default the last one finished), the whole scheme ("全期"), or a start and
an end inside it (assessment.periods). A locked period shows the published scores; a figure the records have
changed since shows beside it, never in its place.
"""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from core.scope import holds_over
from core.views import EditableObjectFormMixin, ScopedObjectMixin
from organizations.choices import Role
from targets.tables import number

from .. import periods, selectors, services
from ..exports import export_results
from ..forms import LockForm
from ..models import Scheme
from ..tables import china_time, item_label, period_label, score_rows

PER_PAGE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results_url(scheme, start, end):
    key = periods.period_key(scheme, start, end)
    query = {"month": key} if key else {"start": start.isoformat(), "end": end.isoformat()}
    return f"{reverse('assessment:results', args=[scheme.pk])}?{urlencode(query)}"


def asked_period(request, scheme):
    """(start, end, errors): the period the query asks for; its default, and why, when the query is bad."""
    params = request.GET
    try:
        start, end = periods.read_period(
            scheme, month=params.get("month"), start=params.get("start"), end=params.get("end")
        )
        return start, end, []
    except ValidationError as exc:
        return *periods.default_period(scheme), exc.messages


class ResultsView(ScopedObjectMixin, TemplateView):
    model = Scheme
    template_name = "assessment/results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        scheme = self.get_object()
        start, end, errors = asked_period(request, scheme)
        results = selectors.results(scheme, start, end)
        items = list(scheme.items.all())
        rows = score_rows(results)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        can_edit = holds_over(request.user, scheme.owner, Role.OFFICE_STAFF)
        key = periods.period_key(scheme, start, end)
        lock = results.lock
        ctx.update(
            title=scheme.name,
            scheme=scheme,
            period=period_label(scheme, start, end),
            period_key=key,
            start=start,
            end=end,
            period_errors=errors,
            months=[
                (f"{m:%Y-%m}", _("%(y)d年%(m)d月") % {"y": m.year, "m": m.month}) for m in periods.months_of(scheme)
            ],
            headers=[
                {"label": item_label(i.indicator), "weight": number(i.weight), "rule": i.get_rule_display()}
                for i in items
            ],
            results=results,
            page=page,
            rows=page.object_list,
            page_query=urlencode({k: v for k, v in request.GET.items() if k != "page"}),
            lock=lock,
            locked_by=(lock.locked_by.name or lock.locked_by.username) if lock else "",
            locked_at=china_time(lock.locked_at) if lock else "",
            can_edit=can_edit,
            lock_form=LockForm(initial={"start": start, "end": end}) if can_edit and lock is None else None,
            period_over=end < timezone.localdate(),
            export_url=f"{reverse('assessment:export', args=[scheme.pk])}?{request.GET.urlencode()}",
        )
        return ctx


class LockView(EditableObjectFormMixin, View):
    """The office publishes a finished period's results; the service refuses a period not over or already locked."""

    model = Scheme
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        scheme = self.object
        form = LockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请指定要锁定的期间。"))
            return redirect("assessment:results", scheme.pk)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        try:
            services.lock_period(
                actor=request.user, scheme=scheme, start=start, end=end, note=form.cleaned_data.get("note", "")
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已锁定%(period)s的考核结果。") % {"period": period_label(scheme, start, end)})
        if start < scheme.start or end > scheme.end or end < start:
            return redirect("assessment:results", scheme.pk)
        return redirect(results_url(scheme, start, end))


class ExportView(ScopedObjectMixin, View):
    """The ranking of the period on screen, as .xlsx (audited)."""

    model = Scheme

    def get(self, request, *args, **kwargs):
        scheme = self.get_object()
        start, end, errors = asked_period(request, scheme)
        if errors:
            for message in errors:
                messages.error(request, message)
            return redirect("assessment:results", scheme.pk)
        results = selectors.results(scheme, start, end)
        out = io.BytesIO()
        export_results(actor=request.user, results=results, items=list(scheme.items.all()), out=out)
        name = f"{scheme.name}{period_label(scheme, start, end)}考核排名.xlsx"
        # A ranking is a few dozen rows: answered whole, not streamed.
        return HttpResponse(
            out.getvalue(),
            content_type=XLSX_TYPE,
            headers={"Content-Disposition": content_disposition_header(True, name)},
        )
