"""The reading pages: all problems (filtered), a department's inbox, the supervision list, the meetings, the
figures with a link behind every number, and a unit's monthly dispatch agenda."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.scope import scope_of
from core.views import RoleRequiredMixin, ScopedListView
from organizations.choices import Role

from .. import selectors
from ..filtersets import NULL, SOLVED_STATUSES, MeetingFilterSet, ProblemFilterSet
from ..forms import AgendaForm, FiguresForm
from ..models import Meeting, Problem
from ..tables import MeetingTable, ProblemTable, list_queryset, meeting_list_queryset
from .common import HOST_ROLES, RAISER_ROLES, SERVICE_ROLES, list_url, not_found, tabs

# 交城's goal for 日清日结 (seed 004): at least 80% of problems handled the same day.
SAME_DAY_GOAL = 80


class ProblemListBase(ScopedListView):
    model = Problem
    table_class = ProblemTable
    filterset_class = ProblemFilterSet
    template_name = "service/list.html"
    required_roles = SERVICE_ROLES
    tab = "all"

    def problems(self):
        return selectors.problems_for(self.request.user)

    def get_queryset(self):
        return list_queryset(self.problems())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["tab"] = self.tab
        ctx["tabs"] = tabs(user)
        if scope_of(user).has(*RAISER_ROLES):
            ctx["create_url"] = reverse("service:problem_create")
            ctx["create_label"] = _("提出问题")
        return ctx


class ProblemListView(ProblemListBase):
    """Every problem the user may see, with the one FilterSet the API and the figures' links use."""

    title = gettext_lazy("问题诉求")


class InboxView(ProblemListBase):
    """本部门待办: the open problems assigned to the user's department."""

    title = gettext_lazy("本部门待办")
    required_roles = (Role.DEPARTMENT_STAFF,)
    tab = "inbox"

    def problems(self):
        return selectors.inbox(self.request.user)


class SupervisionView(ProblemListBase):
    """督办 (屡诉督办): escalated problems not yet closed, and every open problem past its due date."""

    title = gettext_lazy("督办")
    tab = "supervision"

    def problems(self):
        return selectors.supervision(self.request.user)


class MeetingListView(ScopedListView):
    model = Meeting
    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    template_name = "service/list.html"
    required_roles = SERVICE_ROLES
    title = gettext_lazy("会议")

    def get_queryset(self):
        return meeting_list_queryset(selectors.meetings_for(self.request.user), self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["tab"] = "meetings"
        ctx["tabs"] = tabs(user)
        if scope_of(user).has(*HOST_ROLES):
            ctx["create_url"] = reverse("service:meeting_create")
            ctx["create_label"] = _("登记会议")
        return ctx


# --- The figures ------------------------------------------------------------------------------------------


def chosen(form):
    """The filters a reading page asked for: a unit out of the user's scope is a 404, not an empty page."""
    if not form.is_bound:
        return {}
    form.is_valid()
    if form.has_error("unit"):
        raise not_found()
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


def figure_links(base, row_params):
    """For each figure of a row, the list filtered to exactly its problems (selectors.figures' conditions)."""
    params = {**base, **row_params}
    solved = {**params, "status": [s.value for s in SOLVED_STATUSES]}
    on_time = list_url(**solved, on_time="true")
    same_day = list_url(**solved, same_day="true")
    return {
        "raised": list_url(**params),
        "solved": list_url(**solved),
        "on_time": on_time,
        "on_time_share": on_time,
        "same_day": same_day,
        "same_day_share": same_day,
        "reopened": list_url(**params, reopened="true"),
        "overdue": list_url(**params, overdue="true"),
        "satisfaction": list_url(**params, rated="true"),
    }


GROUPINGS = (
    ("lead_department", gettext_lazy("按牵头部门"), gettext_lazy("未交办")),
    ("raised_unit", gettext_lazy("按提出单位"), gettext_lazy("企业投诉（无提出单位）")),
    ("category", gettext_lazy("按问题类别"), "—"),
)


class FiguresView(RoleRequiredMixin, TemplateView):
    """Raised, solved, on time, 日清日结, reopened, overdue and satisfaction, in all and by department, unit and
    category; every number links to the list of exactly its problems."""

    template_name = "service/figures.html"
    required_roles = SERVICE_ROLES

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        form = FiguresForm(request.GET or None, user=user)
        picked = chosen(form)
        base = {
            "unit": picked["unit"].pk if picked.get("unit") else None,
            "raised_from": picked.get("start"),
            "raised_to": picked.get("end"),
        }
        base = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in base.items() if v is not None}
        problems = ProblemFilterSet(base, queryset=selectors.problems_for(user), request=request).qs
        today = timezone.localdate()
        total = selectors.figures(problems, today)
        total["links"] = figure_links(base, {})
        groups = []
        for field, label, blank in GROUPINGS:
            rows = selectors.figures_by(problems, field, today)
            for row in rows:
                row["name"] = row["name"] or blank
                row["testid"] = f"{field}-{row['key'] if row['key'] is not None else NULL}"
                row["links"] = figure_links(base, {field: row["key"] if row["key"] is not None else NULL})
            groups.append({"field": field, "label": label, "rows": rows})
        share = total["same_day_share"]
        ctx.update(
            title=_("企业服务统计"),
            form=form,
            total=total,
            groups=groups,
            goal=SAME_DAY_GOAL,
            goal_met=share is not None and share >= SAME_DAY_GOAL,
            tab="figures",
            tabs=tabs(user),
        )
        return ctx


# --- The monthly dispatch agenda ----------------------------------------------------------------------------


class AgendaView(RoleRequiredMixin, TemplateView):
    """A unit's monthly dispatch agenda: overdue problems first, then the open ones, then its projects without
    last month's report and those awaiting verification."""

    template_name = "service/agenda.html"
    required_roles = SERVICE_ROLES

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        form = AgendaForm(request.GET or None, user=user)
        unit = chosen(form).get("unit")
        if unit is None:
            unit = form.fields["unit"].queryset.order_by("depth", "path").first()
            form = AgendaForm(initial={"unit": unit.pk if unit else None}, user=user)
        agenda = selectors.dispatch_agenda(user, unit) if unit is not None else None
        meeting_url = ""
        if agenda is not None:
            month = agenda["month"]
            params = {
                "kind": "dispatch",
                "host_unit": unit.pk,
                "title": _("%(unit)s%(year)s年%(month)s月项目调度会")
                % {"unit": unit.name, "year": month.year, "month": month.month},
                "projects": sorted(
                    {p.project_id for p in (*agenda["overdue"], *agenda["open"]) if p.project_id}
                    | {p.pk for p in (*agenda["projects_missing_report"], *agenda["projects_pending"])}
                ),
            }
            meeting_url = f"{reverse('service:meeting_create')}?{urlencode(params, doseq=True)}"
        ctx.update(
            title=_("月度调度议程"),
            form=form,
            unit=unit,
            agenda=agenda,
            meeting_url=meeting_url,
            tab="agenda",
            tabs=tabs(user),
        )
        return ctx
