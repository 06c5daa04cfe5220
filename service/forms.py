"""Forms for the service pages: they check the shape of what a page sends; service.services decides.

Choices offered are what the user may use (their cities' categories and departments, the
projects they see, the units they may host a meeting as), but a form accepts a little more
than it offers — any unit of the city as a department, any category of the user's cities —
so that a request the rules forbid gets the service's own message, not a bare "invalid choice".
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput, RecordActionForm
from core.scope import scope_of
from core.workdays import add_working_days
from enterprises.models import Company
from organizations.choices import Role, UnitKind
from organizations.models import Unit
from outreach.forms import MultipleFileField, UnitChoiceField
from projects.forms import ProjectChoiceField, split_names
from projects.models import Project

from . import services
from .choices import MeetingKind, Satisfaction, Source, Urgency
from .filtersets import city_paths
from .models import ProblemCategory

HOST_KINDS = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT)


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def _under(paths):
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def user_cities(user):
    return list(Unit.objects.filter(kind=UnitKind.CITY, path__in=city_paths(user)).order_by("path"))


def categories_of(cities):
    """The categories of these cities (each city's defaults made the first time they are needed)."""
    for city in cities:
        services.categories_for(city)
    return ProblemCategory.objects.filter(owner__in=cities).select_related("owner").order_by("owner", "sort_order")


def company_suggest(field):
    """The directory's suggestions for a company typed by name (as the lead and visit forms have it)."""
    field.widget.attrs.update(
        {
            "list": "company-options",
            "autocomplete": "off",
            # `input`, not `keyup`: a phone's Chinese input method commits characters without key events.
            "hx-get": reverse("enterprises:company_suggest"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#company-options",
        }
    )


class CategoryChoiceField(forms.ModelChoiceField):
    many_cities = False

    def label_from_instance(self, obj):
        label = f"{obj.name}（{obj.due_days}个工作日）"
        return f"{obj.owner.name} · {label}" if self.many_cities else label


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


# --- Raising a problem ---------------------------------------------------------------------------------


class ProblemForm(BootstrapMixin, forms.Form):
    """A problem of a project or a company: on its own page, from a project's page or at a meeting."""

    name = "raise"
    title = forms.CharField(label=_("问题标题"), max_length=200, required=False)
    description = forms.CharField(label=_("问题描述"), widget=textarea(4), required=False)
    category = CategoryChoiceField(label=_("类别"), queryset=ProblemCategory.objects.none())
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    source = forms.ChoiceField(label=_("提出渠道"), choices=Source.choices, initial=Source.SERVICE_TEAM)
    project = ProjectChoiceField(label=_("项目"), queryset=Project.objects.none(), required=False)
    # Named as in the lead and visit forms, so the directory's suggestions (enterprises:company_suggest) fill it.
    company_name = forms.CharField(
        label=_("企业"),
        max_length=200,
        required=False,
        help_text=_("输入几个字即可从目标企业库中选择；库中没有的企业会自动加入。选了项目可不填（取项目的投资方）。"),
    )
    raised_on = forms.DateField(label=_("提出日期"), required=False, widget=DateInput())
    files = MultipleFileField(
        label=_("照片/附件"), required=False, help_text=_("可拍照或选择多张照片、PDF；每个文件不超过 20 MB。")
    )

    def __init__(self, *args, user=None, meeting=None, **kwargs):
        self.user = user
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        cities = [meeting.owner] if meeting is not None else user_cities(user)
        categories = categories_of(cities)
        field = self.fields["category"]
        field.queryset = categories
        field.many_cities = len(cities) > 1
        field.widget.choices = [("", "---------")] + [
            (c.pk, field.label_from_instance(c)) for c in categories if c.active
        ]
        projects = Project.objects.visible_to(user).order_by("name", "id")
        if meeting is not None:
            projects = projects.filter(owner=meeting.owner)
            self.fields["source"].widget = forms.HiddenInput()
            self.initial.setdefault("source", Source.MEETING)
            self.initial.setdefault("raised_on", meeting.held_on)
        self.fields["project"].queryset = projects
        self.initial.setdefault("raised_on", timezone.localdate())
        company_suggest(self.fields["company_name"])
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "title": data.get("title") or "",
            "description": data.get("description") or "",
            "category": data["category"],
            "urgency": data["urgency"],
            "source": data["source"],
            "project": data.get("project"),
            "company_name": data.get("company_name") or "",
            "raised_on": data.get("raised_on"),
            "files": data.get("files") or [],
            "meeting": self.meeting,
        }


# --- The actions on a problem's page --------------------------------------------------------------------


class ActionForm(RecordActionForm):
    """One action on one problem; `name` names its URL (`service:problem_<name>`) and its block on the page."""

    record_kwarg = "problem"
    url_prefix = "service:problem_"


class AssignForm(ActionForm):
    """交办: to one department, or to several with one in the lead (有诉联办), due by the category's days."""

    name = "assign"
    title = _("交办")
    submit_label = _("交办")

    departments = UnitsChoiceField(
        label=_("承办部门"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    lead_department = UnitChoiceField(
        label=_("牵头部门"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("多个部门联办时指定一个牵头；不选则第一个部门牵头。"),
    )
    due_on = forms.DateField(label=_("办理期限"), required=False, widget=DateInput())
    note = forms.CharField(label=_("交办意见"), required=False, widget=textarea(2))

    def setup(self):
        problem = self.problem
        # Any unit of the city is accepted: the service says why one that is not a department cannot take it.
        city = Unit.objects.filter(path__startswith=problem.owner.path).order_by("sort_order", "path")
        departments = [u for u in city if u.kind == UnitKind.DEPARTMENT and u.active]
        offered = [(u.pk, u.name) for u in departments]
        self.fields["departments"].queryset = city
        self.fields["departments"].widget.choices = offered
        self.fields["lead_department"].queryset = city
        self.fields["lead_department"].widget.choices = [("", "---------"), *offered]
        days = problem.category.due_days
        default = add_working_days(problem.raised_on, days)
        self.fields["due_on"].help_text = _("按“%(category)s”类 %(days)s 个工作日，默认 %(date)s。") % {
            "category": problem.category.name,
            "days": days,
            "date": default.isoformat(),
        }
        assigned = list(problem.assignments.all())
        self.initial.setdefault("departments", [a.department_id for a in assigned])
        self.initial.setdefault("lead_department", problem.lead_department_id)
        self.initial.setdefault("due_on", problem.due_on or default)
        if assigned:
            self.title = _("重新交办")
            self.submit_label = _("重新交办")

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "departments": list(data.get("departments") or []),
            "lead_department": data.get("lead_department"),
            "due_on": data.get("due_on"),
            "note": data.get("note") or "",
        }


class AcceptForm(ActionForm):
    name = "accept"
    title = _("受理")
    submit_label = _("受理")

    def service_kwargs(self):
        return {}


class AnswerForm(ActionForm):
    """A department's answer; the lead department may mark the problem solved (办结) with it."""

    name = "answer"
    title = _("答复/办结")
    submit_label = _("提交答复")

    answer = forms.CharField(label=_("办理答复"), required=False, widget=textarea(3))
    solved = forms.BooleanField(
        label=_("已办结（牵头部门）"), required=False, help_text=_("勾选后问题转为“已办结待确认”，由提出方确认。")
    )

    def __init__(self, *args, lead=False, **kwargs):
        self.lead = lead
        super().__init__(*args, **kwargs)

    def setup(self):
        if not self.lead and not self.is_bound:
            del self.fields["solved"]

    def service_kwargs(self):
        return {"answer": self.cleaned_data.get("answer") or "", "solved": bool(self.cleaned_data.get("solved"))}


class ConfirmForm(ActionForm):
    """The raiser's side accepts the answer (确认办结), with a satisfaction grade."""

    name = "confirm"
    title = _("确认办结")
    submit_label = _("确认办结")
    button_class = "btn-success"

    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), choices=[("", "---------"), *Satisfaction.choices], coerce=int, required=False
    )
    note = forms.CharField(label=_("评价"), required=False, widget=textarea(2))

    def service_kwargs(self):
        return {"satisfaction": self.cleaned_data.get("satisfaction"), "note": self.cleaned_data.get("note") or ""}


class ReopenForm(ActionForm):
    """The raiser's side does not accept the answer: back to the departments, and to supervision."""

    name = "reopen"
    title = _("退回重办")
    submit_label = _("退回重办")
    button_class = "btn-outline-danger"

    reason = forms.CharField(label=_("退回原因"), required=False, widget=textarea(2))

    def service_kwargs(self):
        return {"reason": self.cleaned_data.get("reason") or ""}


ACTION_FORMS = {form.name: form for form in (AssignForm, AcceptForm, AnswerForm, ConfirmForm, ReopenForm)}


# --- Meetings ----------------------------------------------------------------------------------------


def host_units_for(user):
    """The units the user may hold a meeting as: their city's as office, their own county or department."""
    scope = scope_of(user)
    allowed = scope.subtree_q("path", Role.OFFICE_STAFF) | scope.subtree_q(
        "path", Role.COUNTY_STAFF, Role.DEPARTMENT_STAFF
    )
    return Unit.objects.filter(allowed, kind__in=HOST_KINDS, active=True).order_by("depth", "path")


class MeetingForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200, required=False)
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    host_unit = UnitChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    attendees = forms.CharField(label=_("参加人员"), required=False, widget=textarea(2))
    company_names = forms.CharField(
        label=_("参会企业"),
        required=False,
        widget=textarea(2),
        help_text=_("目标企业库中的企业名称，多个用顿号、逗号或换行分隔。"),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("涉及项目"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    summary = forms.CharField(label=_("会议纪要"), required=False, widget=textarea(3))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        units = host_units_for(user)
        self.fields["host_unit"].queryset = units
        self.fields["projects"].queryset = Project.objects.visible_to(user).order_by("name", "id")
        self.initial.setdefault("held_on", timezone.localdate())
        first = units.first()
        if first is not None:
            self.initial.setdefault("host_unit", first.pk)
        self._style()

    def clean_company_names(self):
        names = split_names(self.cleaned_data.get("company_names"))
        if not names:
            self.companies = []
            return ""
        found = {c.name: c for c in Company.objects.visible_to(self.user).filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise forms.ValidationError(
                _("目标企业库中没有这些企业：%(names)s。请先在企业库中登记。") % {"names": "、".join(missing)}
            )
        self.companies = [found[n] for n in names]
        return "、".join(names)

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "host_unit": data["host_unit"],
            "kind": data["kind"],
            "title": data.get("title") or "",
            "held_on": data["held_on"],
            "place": data.get("place") or "",
            "attendees": data.get("attendees") or "",
            "summary": data.get("summary") or "",
            "companies": getattr(self, "companies", []),
            "projects": list(data.get("projects") or []),
        }


class DecisionForm(BootstrapMixin, forms.Form):
    name = "decision"
    text = forms.CharField(label=_("议定事项"), required=False, widget=textarea(2))
    owner_unit = UnitChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    owner_name = forms.CharField(label=_("责任人"), max_length=50, required=False)
    due_on = forms.DateField(label=_("完成时限"), required=False, widget=DateInput())

    def __init__(self, *args, meeting=None, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.filter(
            path__startswith=meeting.owner.path, active=True
        ).order_by("path")
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "text": data.get("text") or "",
            "owner_unit": data.get("owner_unit"),
            "owner_name": data.get("owner_name") or "",
            "due_on": data.get("due_on"),
        }


class DecisionDoneForm(BootstrapMixin, forms.Form):
    done_on = forms.DateField(label=_("完成日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


# --- The office's categories ------------------------------------------------------------------------------


class CategoryForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=50, required=False)
    due_days = forms.IntegerField(label=_("办理时限（工作日）"), required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False, initial=0)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, category=None, **kwargs):
        self.category = category
        if category is not None:
            kwargs.setdefault("prefix", f"cat{category.pk}")
            kwargs.setdefault(
                "initial",
                {
                    "name": category.name,
                    "due_days": category.due_days,
                    "sort_order": category.sort_order,
                    "active": category.active,
                },
            )
        else:
            kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        if category is not None:
            del self.fields["code"]
            # Each row of the page's table is its own form: the inputs name it (a form cannot wrap a table row).
            for field in self.fields.values():
                field.widget.attrs["form"] = self.form_id
        self._style()

    @property
    def form_id(self):
        return f"cat-form-{self.category.pk}" if self.category is not None else "cat-form-new"

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "code": data.get("code") or (self.category.code if self.category else ""),
            "name": data.get("name") or "",
            "due_days": data.get("due_days"),
            "sort_order": data.get("sort_order") or 0,
            "active": bool(data.get("active")),
            "category": self.category,
        }


# --- The filters of the reading pages -------------------------------------------------------------------


def reading_units(user, kinds=(UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT)):
    return Unit.objects.visible_to(user).filter(kind__in=kinds, active=True).order_by("path")


class FiguresForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"))
    start = forms.DateField(label=_("提出日期起"), required=False, widget=DateInput())
    end = forms.DateField(label=_("提出日期止"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reading_units(user)
        self._style()


class AgendaForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = reading_units(user, (UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE))
        self._style()
