"""A project's facts (entered, corrected, or taken over from a lead), its 包联 and its 四包."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chains.models import ChainSegment, IndustryChain
from core.forms import BootstrapMixin, DateInput
from core.scope import scope_of
from leads.forms import SegmentChoiceField, plain_amount
from organizations.choices import Role
from organizations.models import Unit, User
from outreach.forms import MultipleFileField, PeopleChoiceField, PersonChoiceField, UnitChoiceField

from ..choices import (
    Duty,
    ProjectKind,
    SigningForm,
    Stage,
)
from .common import (
    amount_field,
    city_units,
    host_units_for,
    split_names,
    textarea,
    visible_people,
)

# --- Entering and editing a project --------------------------------------------------------------


class ProjectForm(BootstrapMixin, forms.Form):
    """A project's facts: one row of 《签约项目台账》 and what the office needs besides."""

    # The service's names for fields this form names otherwise: its errors land on the right field.
    service_field_names = {"investors": "company_name", "investor_names": "company_name"}
    # Folded under "更多": what is often not known when a project is first entered.
    more_fields = (
        "land_mu",
        "expected_output",
        "expected_tax",
        "expected_jobs",
        "segment",
        "signing_form",
        "expected_start",
        "expected_production",
        "service_plan",
        "note",
        "files",
    )
    text_fields = ("name", "content", "service_plan", "note")
    amount_fields = ("total_investment", "fixed_investment", "land_mu", "expected_output", "expected_tax")

    host_unit = UnitChoiceField(label=_("落地县（市、区）/开发区"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("项目名称"), max_length=200)
    # Named as in the lead and visit forms, so the directory's suggestions (enterprises:company_suggest) fill it.
    company_name = forms.CharField(
        label=_("投资方"),
        max_length=200,
        required=False,
        help_text=_("输入几个字即可从目标企业库中选择；库中没有的企业会随项目自动加入。"),
    )
    other_investors = forms.CharField(
        label=_("其他投资方"),
        required=False,
        widget=textarea(2),
        help_text=_("联合投资时填写，多个用顿号或换行分隔。"),
    )
    kind = forms.ChoiceField(label=_("项目类别"), choices=ProjectKind.choices, initial=ProjectKind.INDUSTRIAL)
    stage = forms.ChoiceField(
        label=_("当前阶段"),
        choices=[(Stage.PLANNED, Stage.PLANNED.label), (Stage.NEGOTIATING, Stage.NEGOTIATING.label)],
        initial=Stage.NEGOTIATING,
        help_text=_("签约须在项目页面作为阶段变更录入，并上传合同，由核验员核验。"),
    )
    content = forms.CharField(label=_("建设内容"), required=False, widget=textarea(3))
    total_investment = amount_field(_("总投资（万元）"))
    fixed_investment = amount_field(_("其中固定资产投资（万元）"))
    chain = forms.ModelChoiceField(label=_("所属产业链"), queryset=IndustryChain.objects.none(), required=False)
    first_contact_on = forms.DateField(label=_("首次接洽日期"), required=False, widget=DateInput())
    land_mu = amount_field(_("用地（亩）"), help_text="")
    expected_output = amount_field(_("预计年产值（万元）"))
    expected_tax = amount_field(_("预计年税收（万元）"))
    expected_jobs = forms.IntegerField(label=_("预计带动就业（人）"), required=False, min_value=0)
    segment = SegmentChoiceField(label=_("产业链环节"), queryset=ChainSegment.objects.none(), required=False)
    signing_form = forms.ChoiceField(
        label=_("签约形式"), choices=[("", "---------"), *SigningForm.choices], required=False
    )
    expected_start = forms.DateField(label=_("预计开工时间"), required=False, widget=DateInput())
    expected_production = forms.DateField(label=_("预计投产时间"), required=False, widget=DateInput())
    service_plan = forms.CharField(label=_("服务方案（一项目一清单一方案）"), required=False, widget=textarea(3))
    note = forms.CharField(label=_("备注"), required=False, widget=textarea(2))
    files = MultipleFileField(
        label=_("附件"), required=False, help_text=_("项目资料、照片或 PDF；每个文件不超过 20 MB。")
    )

    def __init__(self, *args, user=None, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**self.initial_from(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        hosts = host_units_for(user)
        if instance is not None:
            del self.fields["stage"]
            # A project moves only within its city (the service says so if asked otherwise).
            hosts = Unit.objects.filter(
                Q(pk__in=hosts.filter(path__startswith=instance.owner.path).values("pk")) | Q(pk=instance.host_unit_id)
            )
            self.fields["progress_note"] = forms.CharField(
                label=_("目前进展"), max_length=500, required=False, widget=textarea(2)
            )
        self.fields["host_unit"].queryset = hosts.order_by("path")
        if instance is None and "host_unit" not in self.initial:
            first = (
                self.fields["host_unit"].queryset.filter(scope_of(user).subtree_q("path", Role.COUNTY_STAFF)).first()
            )
            if first is not None:
                self.initial["host_unit"] = first.pk
        self.fields["chain"].queryset = IndustryChain.objects.visible_to(user).filter(active=True)
        self.fields["segment"].queryset = (
            ChainSegment.objects.visible_to(user).select_related("chain").order_by("chain__name", "sort_order", "id")
        )
        self.fields["company_name"].widget.attrs.update(
            {
                "list": "company-options",
                "autocomplete": "off",
                # `input`, not `keyup`: a phone's Chinese input method commits characters without key events.
                "hx-get": reverse("enterprises:company_suggest"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#company-options",
            }
        )
        self._style()

    def initial_from(self, project):
        names = [c.name for c in project.investors.all()]
        data = {
            "host_unit": project.host_unit_id,
            "name": project.name,
            "company_name": names[0] if names else "",
            "other_investors": "、".join(names[1:]),
            "kind": project.kind,
            "content": project.content,
            "chain": project.chain_id,
            "segment": project.segment_id,
            "first_contact_on": project.first_contact_on,
            "signing_form": project.signing_form,
            "expected_start": project.expected_start,
            "expected_production": project.expected_production,
            "expected_jobs": project.expected_jobs,
            "service_plan": project.service_plan,
            "note": project.note,
            "progress_note": project.progress_note,
        }
        for field in self.amount_fields:
            data[field] = plain_amount(getattr(project, field))
        return data

    @property
    def main_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.more_fields]

    @property
    def more(self):
        return [self[name] for name in self.more_fields if name in self.fields]

    @property
    def more_open(self):
        return any(self[name].errors for name in self.more_fields if name in self.fields)

    def investor_names(self):
        first = " ".join((self.cleaned_data.get("company_name") or "").split())
        names = ([first] if first else []) + split_names(self.cleaned_data.get("other_investors"))
        return list(dict.fromkeys(names))

    def facts(self):
        """The project's facts as the services take them (amounts as typed: the service parses them)."""
        data = {field: self.cleaned_data.get(field) or "" for field in self.text_fields}
        for field in self.amount_fields:
            data[field] = self.cleaned_data.get(field) or None
        data.update(
            kind=self.cleaned_data.get("kind") or ProjectKind.INDUSTRIAL,
            chain=self.cleaned_data.get("chain"),
            segment=self.cleaned_data.get("segment"),
            first_contact_on=self.cleaned_data.get("first_contact_on"),
            signing_form=self.cleaned_data.get("signing_form") or "",
            expected_start=self.cleaned_data.get("expected_start"),
            expected_production=self.cleaned_data.get("expected_production"),
            expected_jobs=self.cleaned_data.get("expected_jobs"),
            host_unit=self.cleaned_data.get("host_unit"),
            files=self.cleaned_data.get("files") or [],
        )
        return data

    def service_kwargs(self):
        """For services.create_project."""
        data = self.facts()
        data["stage"] = self.cleaned_data.get("stage") or Stage.NEGOTIATING
        data["investor_names"] = self.investor_names()
        return data

    def update_kwargs(self):
        """For services.update_project: the investors only if they changed (kept ones stay the same records)."""
        data = self.facts()
        data["progress_note"] = self.cleaned_data.get("progress_note") or ""
        names = self.investor_names()
        current = list(self.instance.investors.all())
        if names != [c.name for c in current]:
            kept = [c for c in current if c.name in names]
            data["investors"] = kept
            data["investor_names"] = [n for n in names if n not in {c.name for c in kept}]
        return data


class FromLeadForm(ProjectForm):
    """A lead turned into a project in 在谈: its investor, content, amount and chain are handed over."""

    def __init__(self, *args, lead=None, **kwargs):
        self.lead = lead
        initial = {
            "name": lead.name,
            "host_unit": lead.receiving_unit_id,
            "content": lead.content,
            "total_investment": plain_amount(lead.estimated_amount),
            "chain": lead.chain_id,
            "segment": lead.segment_id,
            "first_contact_on": lead.collected_date,
            "stage": Stage.NEGOTIATING,
        }
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        # The investor is the lead's; others may join it.
        del self.fields["company_name"]
        del self.fields["stage"]
        if lead.receiving_unit_id:
            hosts = self.fields["host_unit"].queryset.values("pk")
            self.fields["host_unit"].queryset = Unit.objects.filter(
                Q(pk__in=hosts) | Q(pk=lead.receiving_unit_id)
            ).order_by("path")

    def service_kwargs(self):
        """For services.create_project_from_lead."""
        data = self.facts()
        data["investor_names"] = split_names(self.cleaned_data.get("other_investors"))
        return data


# --- 包联 and 四包 -------------------------------------------------------------------------------


class AssignmentForm(BootstrapMixin, forms.Form):
    """三级包联: a county leader, a responsible unit and a service team with its head (seed 001)."""

    leader = PersonChoiceField(label=_("包联领导"), queryset=User.objects.none(), required=False)
    leader_name = forms.CharField(
        label=_("包联领导姓名"),
        max_length=100,
        required=False,
        help_text=_("领导不在系统中时直接填写姓名、职务；选择了包联领导时可不填。"),
    )
    responsible_unit = UnitChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    team = PeopleChoiceField(
        label=_("服务专班成员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可按住 Ctrl 多选。专班成员可查看项目、报送月度进展。"),
    )
    head = PersonChoiceField(
        label=_("专班负责人"), queryset=User.objects.none(), required=False, help_text=_("须是专班成员。")
    )

    def __init__(self, *args, project=None, user=None, **kwargs):
        self.project = project
        team = list(project.team.select_related("user"))
        kwargs.setdefault(
            "initial",
            {
                "leader": project.leader_id,
                "leader_name": project.leader_name,
                "responsible_unit": project.responsible_unit_id,
                "team": [m.user_id for m in team],
                "head": next((m.user_id for m in team if m.is_head), None),
            },
        )
        super().__init__(*args, **kwargs)
        people = visible_people(user, project.leader, *(m.user for m in team))
        for field in ("leader", "team", "head"):
            self.fields[field].queryset = people
        self.fields["responsible_unit"].queryset = city_units(project.owner)
        self._style()

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "leader": data.get("leader"),
            "leader_name": data.get("leader_name") or "",
            "responsible_unit": data.get("responsible_unit"),
            "team": list(data.get("team") or []),
            "head": data.get("head"),
        }


class DutiesForm(BootstrapMixin, forms.Form):
    """The "四包" of a project of 2亿 or more: who coordinates, serves, lands it and brings it to production."""

    def __init__(self, *args, project=None, **kwargs):
        self.project = project
        held = {d.duty: d for d in project.duties.all()}
        initial = {}
        for duty in Duty:
            if duty in held:
                initial[f"{duty}_person"] = held[duty].person_name
                initial[f"{duty}_unit"] = held[duty].unit_id
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        units = city_units(project.owner)
        for duty in Duty:
            self.fields[f"{duty}_person"] = forms.CharField(
                label=_("%(duty)s负责人") % {"duty": duty.label}, max_length=100, required=False
            )
            self.fields[f"{duty}_unit"] = UnitChoiceField(
                label=_("%(duty)s单位") % {"duty": duty.label}, queryset=units, required=False
            )
        self._style()

    @property
    def rows(self):
        return [(duty.label, self[f"{duty}_person"], self[f"{duty}_unit"]) for duty in Duty]

    def service_kwargs(self):
        data = self.cleaned_data
        return {"duties": {duty.value: (data.get(f"{duty}_person") or "", data.get(f"{duty}_unit")) for duty in Duty}}
