"""The working-day overrides page (/workdays/): list, add, correct and delete the office's entries.

Thin: a form checks the shape, one service in core.workday_services writes (and audits).
Office staff and system administrators only; anyone else is refused (403). A refused
form comes back on the same page with the message on its field, and nothing is written.
"""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .forms import BootstrapMixin, DateInput
from .models import WorkdayOverride
from .views import RoleRequiredMixin, attach_errors
from .workday_services import (
    EDITOR_ROLES,
    create_workday_override,
    delete_workday_override,
    official_is_workday,
    update_workday_override,
)

PER_PAGE = 25
WORKDAY_CHOICES = [("", "---------"), ("1", gettext_lazy("工作日（上班）")), ("0", gettext_lazy("休息日（放假）"))]


class WorkdayForm(BootstrapMixin, forms.Form):
    """One day and whether it is worked; the service checks the values and says why one is refused."""

    date = forms.DateField(label=gettext_lazy("日期"), required=False, widget=DateInput())
    is_workday = forms.ChoiceField(label=gettext_lazy("安排"), choices=WORKDAY_CHOICES, required=False)
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("如“国务院办公厅通知：国庆节放假”“调休上班”。"),
    )

    def __init__(self, *args, override=None, **kwargs):
        if override is not None:
            kwargs.setdefault(
                "initial",
                {"date": override.date, "is_workday": "1" if override.is_workday else "0", "note": override.note},
            )
        super().__init__(*args, **kwargs)
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        flag = data.get("is_workday")
        return {
            "date": data.get("date"),
            "is_workday": None if flag in (None, "") else flag == "1",
            "note": data.get("note"),
        }


def _years():
    return list(WorkdayOverride.objects.dates("date", "year", order="DESC"))


class WorkdayPageMixin(RoleRequiredMixin):
    required_roles = EDITOR_ROLES

    @cached_property
    def year(self):
        value = self.request.GET.get("year", "")
        return int(value) if value.isdigit() else None

    def page(self, form, editing=None):
        overrides = WorkdayOverride.objects.order_by("-date")
        if self.year:
            overrides = overrides.filter(date__year=self.year)
        page = Paginator(overrides, PER_PAGE).get_page(self.request.GET.get("page"))
        for override in page:
            override.official = official_is_workday(override.date)
        ctx = {
            "title": _("工作日调整"),
            "form": form,
            "editing": editing,
            "form_action": reverse("core:workday_edit", args=[editing.pk])
            if editing
            else reverse("core:workday_create"),
            "page_obj": page,
            "year": self.year,
            "years": [d.year for d in _years()],
            "page_query": f"year={self.year}&" if self.year else "",
        }
        return render(self.request, "core/workdays.html", ctx)

    def get_override(self):
        try:
            return WorkdayOverride.objects.get(pk=self.kwargs["pk"])
        except (WorkdayOverride.DoesNotExist, ValueError, TypeError):
            raise Http404(_("未找到该记录，或您无权查看。"))

    def run(self, form, call, message, editing=None):
        if form.is_valid():
            try:
                call(form.service_kwargs())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(self.request, message)
                return redirect("core:workdays")
        return self.page(form, editing)


class WorkdayListView(WorkdayPageMixin, View):
    """The entries, newest day first (paginated, by year), with the form to add one."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return self.page(WorkdayForm())


class WorkdayCreateView(WorkdayPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = WorkdayForm(request.POST)
        return self.run(form, lambda data: create_workday_override(actor=request.user, **data), _("工作日调整已添加。"))


class WorkdayEditView(WorkdayPageMixin, View):
    """The same page with the entry's form filled in; saving corrects it."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        override = self.get_override()
        return self.page(WorkdayForm(override=override), override)

    def post(self, request, *args, **kwargs):
        override = self.get_override()
        form = WorkdayForm(request.POST, override=override)
        return self.run(
            form,
            lambda data: update_workday_override(actor=request.user, override=override, **data),
            _("工作日调整已修改。"),
            override,
        )


class WorkdayDeleteView(WorkdayPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        override = self.get_override()
        try:
            delete_workday_override(actor=request.user, override=override)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已删除 %(date)s 的工作日调整。") % {"date": override.date.isoformat()})
        return redirect("core:workdays")
