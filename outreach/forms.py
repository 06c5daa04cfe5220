"""Forms for the outreach ledgers: they check the shape of what a page (often a phone) sends; services decide.

Each form takes the user (its choices are what the user may see or write for) and, when
editing, the record; `service_kwargs()` gives what the service takes.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.models import IndustryChain
from core.forms import BootstrapMixin, DateInput
from enterprises.choices import CompanyCategory
from organizations.models import Unit

from . import selectors
from .choices import VisitWay


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.username


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or files in one input; each is checked by core.attachments on the way in."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment", "multiple": True}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def company_name_field(required=True):
    return forms.CharField(
        label=_("企业名称"),
        max_length=200,
        required=required,
        help_text=_("输入几个字即可从目标企业库中选择；库中没有的企业会随本次登记自动加入。"),
    )


class LedgerForm(BootstrapMixin, forms.Form):
    """Base: a `unit` select of the units the user writes for, hidden when there is only one."""

    unit_kinds = selectors.LEDGER_UNIT_KINDS
    # Fields shown folded under "更多" (the credit code and the like), after `more_after`.
    more_fields = ()
    more_after = ""
    # Names of the form's fields the service takes under the same name.
    service_fields = ()

    unit = UnitChoiceField(label=_("登记单位"), queryset=Unit.objects.none())
    files = MultipleFileField(
        label=_("照片/附件"), required=False, help_text=_("可拍照或选择多张照片、PDF；每个文件不超过 20 MB。")
    )
    remarks = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**self.initial_from(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        units = list(selectors.writable_units(user, self.unit_kinds))
        if instance is not None and all(u.pk != instance.unit_id for u in units):
            units.insert(0, instance.unit)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("depth", "path")
        if len(units) == 1:
            # A team member writes for one team: no choice to make, nothing to show.
            self.fields["unit"].widget = forms.HiddenInput()
            self.initial.setdefault("unit", units[0].pk)
        elif units and "unit" not in self.initial:
            self.initial["unit"] = units[0].pk
        self.setup()
        self._style()

    def setup(self):
        """Per-form choices that depend on the user."""

    def initial_from(self, instance):
        data = {name: getattr(instance, name) for name in self.service_fields if hasattr(instance, name)}
        data["unit"] = instance.unit_id
        data["remarks"] = instance.remarks
        return data

    def service_kwargs(self):
        data = {name: self.cleaned_data.get(name) for name in self.service_fields}
        data["unit"] = self.cleaned_data["unit"]
        data["remarks"] = self.cleaned_data.get("remarks", "")
        data["files"] = self.cleaned_data.get("files") or []
        return data

    def field_list(self, names):
        return [self[name] for name in names]

    @property
    def more(self):
        return self.field_list(self.more_fields)

    @property
    def more_open(self):
        """Unfold "更多" when something in it needs the user's eye (an error, or a value already there)."""
        return any(self[name].errors or self[name].value() for name in self.more_fields)


class CompanyNameMixin:
    """The company as typed, with suggestions from the directory as the user types (htmx fills a datalist)."""

    def setup_company_name(self):
        field = self.fields["company_name"]
        attrs = {"list": "company-options", "autocomplete": "off"}
        # `input`, not `keyup`: a phone's Chinese input method commits characters without key events.
        attrs.update(
            {
                "hx-get": reverse("enterprises:company_suggest"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#company-options",
            }
        )
        field.widget.attrs.update(attrs)


class VisitForm(CompanyNameMixin, LedgerForm):
    """The visit entry: on a phone, in a car park, right after the visit. One column, few required fields."""

    field_order = [
        "visit_date",
        "unit",
        "company_name",
        "credit_code",
        "company_province",
        "company_city",
        "company_category",
        "chain",
        "way",
        "contact_name",
        "contact_title",
        "contact_phone",
        "content",
        "intention",
        "next_step",
        "visitors",
        "files",
        "remarks",
    ]
    more_fields = ("credit_code", "company_province", "company_city", "company_category")
    more_after = "company_name"
    service_fields = (
        "visit_date",
        "company_name",
        "credit_code",
        "company_province",
        "company_city",
        "company_category",
        "chain",
        "way",
        "contact_name",
        "contact_title",
        "contact_phone",
        "content",
        "intention",
        "next_step",
        "visitors",
    )

    visit_date = forms.DateField(label=_("走访日期"), widget=DateInput())
    company_name = company_name_field()
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    company_province = forms.CharField(label=_("企业所在省份"), max_length=20, required=False)
    company_city = forms.CharField(label=_("企业所在城市"), max_length=50, required=False)
    company_category = forms.ChoiceField(
        label=_("企业类别"), choices=[("", "—")] + list(CompanyCategory.choices), required=False
    )
    chain = forms.ModelChoiceField(label=_("所属产业链"), queryset=IndustryChain.objects.none(), required=False)
    way = forms.ChoiceField(
        label=_("走访方式"),
        choices=VisitWay.choices,
        initial=VisitWay.KNOCKING,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    contact_name = forms.CharField(label=_("对接人"), max_length=50, required=False)
    contact_title = forms.CharField(label=_("对接人职务"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    content = forms.CharField(label=_("对接内容"), widget=forms.Textarea(attrs={"rows": 4}))
    intention = forms.CharField(label=_("投资意向"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("下步计划"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    visitors = PeopleChoiceField(
        label=_("走访人员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def setup(self):
        self.setup_company_name()
        self.fields["chain"].queryset = IndustryChain.objects.visible_to(self.user).filter(active=True)
        people = selectors.visible_people(self.user)
        if self.instance is not None:
            people = people | self.instance.visitors.all()
        self.fields["visitors"].queryset = people.distinct().order_by("name", "username")
        if self.instance is None:
            self.initial.setdefault("visit_date", timezone.localdate())
            self.initial.setdefault("visitors", [self.user.pk])
        self.order_fields(self.field_order)

    def initial_from(self, visit):
        data = super().initial_from(visit)
        data.update(
            company_name=visit.company.name,
            credit_code=visit.company.credit_code,
            company_province="",
            company_city="",
            company_category="",
            chain=visit.chain_id,
            visitors=[p.pk for p in visit.visitors.all()],
        )
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        visitors = list(data["visitors"] or [])
        # On entry, nobody ticked means the person entering went alone (the service's default).
        data["visitors"] = visitors if visitors or self.instance is not None else None
        return data


class InspectionForm(CompanyNameMixin, LedgerForm):
    field_order = [
        "inspection_date",
        "unit",
        "company_name",
        "credit_code",
        "company_province",
        "company_city",
        "company_category",
        "delegation",
        "host_units",
        "places",
        "accompanying_leader",
        "result",
        "next_step",
        "files",
        "remarks",
    ]
    more_fields = ("credit_code", "company_province", "company_city", "company_category")
    more_after = "company_name"
    service_fields = (
        "inspection_date",
        "company_name",
        "credit_code",
        "company_province",
        "company_city",
        "company_category",
        "delegation",
        "host_units",
        "places",
        "accompanying_leader",
        "result",
        "next_step",
    )

    inspection_date = forms.DateField(label=_("考察日期"), widget=DateInput())
    company_name = company_name_field()
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    company_province = forms.CharField(label=_("企业所在省份"), max_length=20, required=False)
    company_city = forms.CharField(label=_("企业所在城市"), max_length=50, required=False)
    company_category = forms.ChoiceField(
        label=_("企业类别"), choices=[("", "—")] + list(CompanyCategory.choices), required=False
    )
    delegation = forms.CharField(label=_("考察人员及职务"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    host_units = forms.ModelMultipleChoiceField(
        label=_("考察县区/开发区"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    places = forms.CharField(label=_("考察地点"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    accompanying_leader = forms.CharField(label=_("陪同领导"), max_length=200, required=False)
    result = forms.CharField(label=_("考察成果"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=_("下步计划"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self):
        self.setup_company_name()
        self.fields["host_units"].queryset = selectors.host_unit_choices(self.user)
        self.fields["host_units"].label_from_instance = lambda u: u.name
        if self.instance is None:
            self.initial.setdefault("inspection_date", timezone.localdate())
        self.order_fields(self.field_order)

    def initial_from(self, inspection):
        data = super().initial_from(inspection)
        data.update(
            company_name=inspection.company.name,
            credit_code=inspection.company.credit_code,
            company_province="",
            company_city="",
            company_category="",
            host_units=[u.pk for u in inspection.host_units.all()],
        )
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        data["host_units"] = list(data["host_units"] or [])
        return data


def names_from_lines(text):
    """Company names typed one per line (or separated by 、，;), blanks and repeats dropped."""
    raw = (text or "").replace("\r", "\n")
    for sep in ("、", "，", "；", ";"):
        raw = raw.replace(sep, "\n")
    return list(dict.fromkeys(" ".join(line.split()) for line in raw.split("\n") if line.strip()))


class CompanyLinesMixin:
    """Participating companies as a textarea of names, one per line, each resolved in the directory."""

    def lines_initial(self, obj):
        return "\n".join(c.name for c in obj.companies.all())


class EventForm(CompanyLinesMixin, LedgerForm):
    unit_kinds = selectors.EVENT_UNIT_KINDS
    field_order = [
        "title",
        "event_date",
        "unit",
        "place",
        "co_organisers",
        "attendees",
        "attendee_count",
        "company_names",
        "projects_signed",
        "signed_amount",
        "files",
        "remarks",
    ]
    service_fields = (
        "title",
        "event_date",
        "place",
        "co_organisers",
        "attendees",
        "attendee_count",
        "projects_signed",
        "signed_amount",
    )

    title = forms.CharField(label=_("推介会名称"), max_length=200)
    event_date = forms.DateField(label=_("举办日期"), widget=DateInput())
    place = forms.CharField(label=_("举办地点"), max_length=200)
    co_organisers = forms.CharField(label=_("合办单位"), max_length=200, required=False)
    attendees = forms.CharField(label=_("参会人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attendee_count = forms.IntegerField(label=_("参会人数"), required=False)
    company_names = forms.CharField(
        label=_("参会企业"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一家企业名称；目标企业库中没有的会自动加入。"),
    )
    projects_signed = forms.IntegerField(label=_("现场签约项目数"), required=False, initial=0)
    signed_amount = forms.DecimalField(
        label=_("签约金额（万元）"), required=False, initial=0, max_digits=14, decimal_places=4
    )

    def setup(self):
        if self.instance is None:
            self.initial.setdefault("event_date", timezone.localdate())
        self.order_fields(self.field_order)

    def initial_from(self, event):
        data = super().initial_from(event)
        data["company_names"] = self.lines_initial(event)
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        data["company_names"] = names_from_lines(self.cleaned_data.get("company_names"))
        data["companies"] = []
        data["projects_signed"] = data["projects_signed"] or 0
        return data


class TripForm(CompanyLinesMixin, LedgerForm):
    unit_kinds = selectors.EVENT_UNIT_KINDS
    field_order = [
        "start_date",
        "end_date",
        "unit",
        "destinations",
        "leader",
        "leader_name",
        "members",
        "purpose",
        "company_names",
        "result",
        "projects_connected",
        "files",
        "remarks",
    ]
    service_fields = (
        "start_date",
        "end_date",
        "destinations",
        "leader",
        "leader_name",
        "members",
        "purpose",
        "result",
        "projects_connected",
    )

    start_date = forms.DateField(label=_("出发日期"), widget=DateInput())
    end_date = forms.DateField(label=_("返回日期"), widget=DateInput())
    destinations = forms.CharField(label=_("目的地"), max_length=200)
    leader = PersonChoiceField(label=_("带队领导"), queryset=None, required=False)
    leader_name = forms.CharField(
        label=_("带队领导（姓名职务）"),
        max_length=100,
        required=False,
        help_text=_("带队领导不在系统中时填写，如“张三（副县长）”。"),
    )
    members = PeopleChoiceField(
        label=_("成员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    purpose = forms.CharField(label=_("任务"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    company_names = forms.CharField(
        label=_("对接企业"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一家企业名称；目标企业库中没有的会自动加入。"),
    )
    result = forms.CharField(label=_("成果"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    projects_connected = forms.IntegerField(label=_("对接项目数"), required=False, initial=0)

    def setup(self):
        people = selectors.visible_people(self.user)
        if self.instance is not None:
            extra = self.instance.members.all()
            if self.instance.leader_id:
                extra = extra | type(self.instance.leader).objects.filter(pk=self.instance.leader_id)
            people = people | extra
        people = people.distinct().order_by("name", "username")
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people
        if self.instance is None:
            today = timezone.localdate()
            self.initial.setdefault("start_date", today)
            self.initial.setdefault("end_date", today)
        self.order_fields(self.field_order)

    def initial_from(self, trip):
        data = super().initial_from(trip)
        data["leader"] = trip.leader_id
        data["members"] = [p.pk for p in trip.members.all()]
        data["company_names"] = self.lines_initial(trip)
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        data["members"] = list(data["members"] or [])
        data["company_names"] = names_from_lines(self.cleaned_data.get("company_names"))
        data["companies"] = []
        data["projects_connected"] = data["projects_connected"] or 0
        return data


class StationingForm(LedgerForm):
    field_order = ["person", "unit", "start_date", "end_date", "place", "files", "remarks"]
    service_fields = ("person", "start_date", "end_date", "place")

    person = PersonChoiceField(label=_("驻点人员"), queryset=None)
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput())
    place = forms.CharField(label=_("驻点地"), max_length=100)

    def setup(self):
        people = selectors.visible_people(self.user)
        if self.instance is not None:
            people = people | type(self.instance.person).objects.filter(pk=self.instance.person_id)
        self.fields["person"].queryset = people.distinct().order_by("name", "username")
        if self.instance is None:
            self.initial.setdefault("person", self.user.pk)
        self.order_fields(self.field_order)

    def initial_from(self, stationing):
        data = super().initial_from(stationing)
        data["person"] = stationing.person_id
        return data
