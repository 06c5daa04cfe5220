"""Pages of the bulletins, under /bulletins/. Thin: a form checks the shape, one service in bulletins.services
writes, scope decides what is seen (a bulletin out of scope is a 404; visible but not the office's to change, 403).

The bulletin's page refreshes itself every two seconds while it is queued or generated (a meta refresh and the
same in a Refresh header: no script), showing the progress bar and the step.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.scope import holds_over, scope_of
from core.views import EditableObjectFormMixin, RoleRequiredMixin, ScopedListView, ScopedObjectMixin, ServiceFormMixin
from organizations.choices import Role
from targets.forms import office_city

from . import selectors, services
from .filtersets import BulletinFilterSet
from .forms import BulletinForm, previous_month
from .models import Bulletin
from .tables import BulletinTable, status_badge

LIST_URL = reverse_lazy("bulletins:bulletin_list")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFRESH_SECONDS = 2


class BulletinListView(ScopedListView):
    model = Bulletin
    table_class = BulletinTable
    filterset_class = BulletinFilterSet
    template_name = "bulletins/list.html"
    title = gettext_lazy("月度通报")

    def get_queryset(self):
        return selectors.bulletins_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if scope_of(self.request.user).has(Role.OFFICE_STAFF):
            ctx["create_url"] = reverse("bulletins:bulletin_create")
        return ctx


class BulletinCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """生成通报: the office of a city picks a month that is over; the bulletin is then generated in the background."""

    required_roles = (Role.OFFICE_STAFF,)
    form_class = BulletinForm
    template_name = "bulletins/form.html"
    success_message = gettext_lazy("已开始生成通报。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.city = office_city(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        year, month = previous_month(timezone.localdate())
        asked = {k: self.request.GET.get(k) for k in ("year", "month") if self.request.GET.get(k)}
        return {"year": year, "month": month, **asked}

    def get_form_kwargs(self):
        if self.city is None:
            raise PermissionDenied(_("只有本市招商中心可以生成通报。"))
        return super().get_form_kwargs()

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.request_bulletin(
                actor=self.request.user,
                owner=self.city,
                year=data["year"],
                month=data["month"],
                number=data.get("number", ""),
                title=data.get("title", ""),
            ),
            lambda bulletin: bulletin.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("生成通报：%(city)s") % {"city": self.city.name}
        ctx["cancel_url"] = LIST_URL
        return ctx


class BulletinDetailView(ScopedObjectMixin, TemplateView):
    """One bulletin: its state and progress while generated; then its figures as printed, download and actions."""

    model = Bulletin
    template_name = "bulletins/detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(self.get_queryset().select_related("created_by", "published_by"))
        response = super().get(request, *args, **kwargs)
        if self.object.in_progress:
            response["Refresh"] = str(REFRESH_SECONDS)
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        bulletin = self.object
        office = holds_over(self.request.user, bulletin.owner, Role.OFFICE_STAFF)
        figures = bulletin.figures or {}
        teams = figures.get("teams") or {}
        ctx.update(
            title=str(bulletin),
            bulletin=bulletin,
            status_badge=status_badge(bulletin),
            refresh=REFRESH_SECONDS if bulletin.in_progress else None,
            figures=figures,
            totals=list((figures.get("totals") or {}).values()),
            team_labels=[i["label"] for i in teams.get("indicators", [])],
            team_rows=[
                (row["name"], ["\n".join(_cell(c) for c in cells) for cells in row["cells"]])
                for row in teams.get("rows", [])
            ],
            can_publish=office and bulletin.is_done and not bulletin.is_published,
            can_delete=office and not bulletin.is_published,
            can_regenerate=office,
            regenerate_url=f"{reverse('bulletins:bulletin_create')}?year={bulletin.year}&month={bulletin.month}",
        )
        return ctx


def _cell(cell):
    return f"{cell['reached']}/{cell['value']}" if cell["has_target"] else cell["reached"]


class BulletinDownloadView(ScopedObjectMixin, View):
    """The generated .docx, under its Chinese title (Content-Disposition filename*)."""

    model = Bulletin

    def get(self, request, *args, **kwargs):
        bulletin = self.get_object()
        try:
            handle = services.open_bulletin_file(actor=request.user, bulletin=bulletin)
        except ValidationError:
            raise Http404(_("通报尚未生成完成，不能下载。"))
        return FileResponse(handle, as_attachment=True, filename=bulletin.download_name, content_type=DOCX_TYPE)


class BulletinActionView(EditableObjectFormMixin, FormView):
    """A confirmation page and its POST: publish or delete one bulletin of the office's city."""

    model = Bulletin
    form_class = forms.Form
    template_name = "bulletins/confirm.html"
    heading = ""
    question = ""
    button = ""
    button_class = "btn-primary"

    def act(self):
        raise NotImplementedError

    def form_valid(self, form):
        result = self.run_service(form, self.act)
        if result is None:
            return self.form_invalid(form)
        return redirect(self.success_url_for())

    def success_url_for(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=self.heading % {"title": self.object},
            question=self.question,
            button=self.button,
            button_class=self.button_class,
            object=self.object,
            cancel_url=self.object.get_absolute_url(),
        )
        return ctx


class BulletinPublishView(BulletinActionView):
    heading = gettext_lazy("印发通报：%(title)s")
    question = gettext_lazy("印发后，本市各单位均可查看和下载该通报；通报内容不再改变。确定印发吗？")
    button = gettext_lazy("印发")
    success_message = gettext_lazy("通报已印发。")

    def act(self):
        return services.publish_bulletin(actor=self.request.user, bulletin=self.object)


class BulletinDeleteView(BulletinActionView):
    heading = gettext_lazy("删除通报：%(title)s")
    question = gettext_lazy("确定删除这份未印发的通报吗？删除后不能恢复，审计日志会保留记录。")
    button = gettext_lazy("删除")
    button_class = "btn-danger"
    success_message = gettext_lazy("通报已删除。")

    def act(self):
        services.delete_bulletin(actor=self.request.user, bulletin=self.object)
        return True

    def success_url_for(self):
        return LIST_URL
