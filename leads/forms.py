"""Forms for the lead pages: they check the shape of what a page (often a phone) sends; leads.services decides.

Each form takes the user (its choices are what the user may see or work with) and, for
the actions on a lead, the lead; `service_kwargs()` gives what the service takes. The
estimated amount is a text field on purpose: people type "约5000万" or "5亿元", and the
service understands those or says why it cannot.
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chains.models import ChainSegment, IndustryChain
from core.forms import BootstrapMixin, DateInput
from organizations.models import Unit
from outreach import selectors as outreach_selectors
from outreach.forms import MultipleFileField, PeopleChoiceField, UnitChoiceField
from outreach.models import Inspection, PromotionEvent

from . import selectors
from .choices import LeadSource, PoolKind
from .models import HELD_STATUSES, LeadPool, LeadSettings, NegativeListEntry
from .tables import wan

DEFAULT_GRADES = ("A", "B", "C")


def plain_amount(value):
    """An amount as a form shows it back: the figure in 万元, no separators, no trailing zeros."""
    return wan(value).replace(",", "") if value is not None else ""


class SegmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.chain.name} · {obj.name}"


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


# --- Reporting and correcting a lead ------------------------------------------------------------


class LeadForm(BootstrapMixin, forms.Form):
    """A lead on one phone screen: a name, the investor and what they intend; the rest may follow later."""

    # The service's names for fields this form names otherwise: its errors land on the right field.
    service_field_names = {"investor_name": "company_name", "investor": "company_name"}

    # Folded under "更多" after `more_after`: what a team rarely has at hand in the car park.
    more_fields = ("credit_code", "source_note", "segment", "reporters")
    more_after = "company_name"
    field_order = [
        "reporting_unit",
        "name",
        "collected_date",
        "source",
        "company_name",
        "credit_code",
        "content",
        "estimated_amount",
        "chain",
        "segment",
        "proposed_location",
        "contact_reached",
        "contact_name",
        "source_note",
        "reporters",
        "files",
    ]
    text_fields = ("name", "source_note", "content", "proposed_location", "contact_name")

    reporting_unit = UnitChoiceField(label=_("报送单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("线索名称"), max_length=200)
    collected_date = forms.DateField(label=_("收集日期"), widget=DateInput())
    source = forms.ChoiceField(label=_("信息来源"), choices=LeadSource.choices, initial=LeadSource.VISIT)
    source_note = forms.CharField(
        label=_("来源说明"), max_length=200, required=False, help_text=_("如中介机构、商会或招商大使的名称。")
    )
    # Named as in the visit form, so the directory's suggestions (enterprises:company_suggest) fill it.
    company_name = forms.CharField(
        label=_("投资方"),
        max_length=200,
        required=False,
        help_text=_("输入几个字即可从目标企业库中选择；库中没有的企业会随本条线索自动加入。"),
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    content = forms.CharField(label=_("项目内容"), required=False, widget=textarea(4))
    estimated_amount = forms.CharField(
        label=_("拟投资额（万元）"),
        max_length=40,
        required=False,
        help_text=_("以万元计，如 5000；也可写“约5000万”“5亿元”。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    chain = forms.ModelChoiceField(label=_("所属产业链"), queryset=IndustryChain.objects.none(), required=False)
    segment = SegmentChoiceField(label=_("产业链环节"), queryset=ChainSegment.objects.none(), required=False)
    proposed_location = forms.CharField(label=_("拟落地区域"), max_length=200, required=False)
    contact_reached = forms.BooleanField(label=_("已与投资方取得联系"), required=False)
    contact_name = forms.CharField(label=_("投资方联系人"), max_length=100, required=False)
    reporters = PeopleChoiceField(
        label=_("报送人"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    files = MultipleFileField(
        label=_("照片/附件"), required=False, help_text=_("可拍照或选择多张照片、PDF；每个文件不超过 20 MB。")
    )

    def __init__(self, *args, user=None, instance=None, visit=None, **kwargs):
        self.user = user
        self.instance = instance
        self.visit = visit
        initial = dict(kwargs.get("initial") or {})
        if instance is not None:
            initial = {**self.initial_from(instance), **initial}
        elif visit is not None:
            initial = {**self.initial_from_visit(visit), **initial}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if instance is not None:
            # The reporting unit is the lead's own; a correction does not move it.
            del self.fields["reporting_unit"]
        else:
            self.setup_reporting_unit()
        self.fields["chain"].queryset = IndustryChain.objects.visible_to(user).filter(active=True)
        self.fields["segment"].queryset = (
            ChainSegment.objects.visible_to(user).select_related("chain").order_by("chain__name", "sort_order", "id")
        )
        people = outreach_selectors.visible_people(user)
        if instance is not None:
            people = people | instance.reporters.all()
        self.fields["reporters"].queryset = people.distinct().order_by("name", "username")
        if instance is None:
            self.initial.setdefault("collected_date", timezone.localdate())
            self.initial.setdefault("reporters", [user.pk])
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
        self.order_fields(self.field_order)
        self._style()

    def setup_reporting_unit(self):
        units = list(outreach_selectors.writable_units(self.user))
        field = self.fields["reporting_unit"]
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("depth", "path")
        if self.visit is not None and any(u.pk == self.visit.unit_id for u in units):
            self.initial.setdefault("reporting_unit", self.visit.unit_id)
        if len(units) == 1:
            # A team member reports for one team: nothing to choose, nothing to show.
            field.widget = forms.HiddenInput()
            self.initial.setdefault("reporting_unit", units[0].pk)
        elif units:
            self.initial.setdefault("reporting_unit", units[0].pk)

    def initial_from(self, lead):
        return {
            "name": lead.name,
            "collected_date": lead.collected_date,
            "source": lead.source,
            "source_note": lead.source_note,
            "company_name": lead.investor.name if lead.investor_id else "",
            "credit_code": lead.investor.credit_code if lead.investor_id else "",
            "content": lead.content,
            "estimated_amount": plain_amount(lead.estimated_amount),
            "chain": lead.chain_id,
            "segment": lead.segment_id,
            "proposed_location": lead.proposed_location,
            "contact_reached": lead.contact_reached,
            "contact_name": lead.contact_name,
            "reporters": [p.pk for p in lead.reporters.all()],
        }

    def initial_from_visit(self, visit):
        return {
            "name": _("%(company)s投资项目") % {"company": visit.company.name},
            "collected_date": visit.visit_date,
            "source": LeadSource.VISIT,
            "company_name": visit.company.name,
            "content": visit.intention or "",
            "chain": visit.chain_id,
            "contact_reached": True,
            "contact_name": visit.contact_name,
        }

    @property
    def more(self):
        return [self[name] for name in self.more_fields if name in self.fields]

    @property
    def more_open(self):
        """Unfold "更多" when something in it needs the user's eye (an error, or a value already there)."""
        return any(self[name].errors for name in self.more_fields if name in self.fields) or bool(
            self.instance is not None and (self.instance.source_note or self.instance.segment_id)
        )

    def _investor(self):
        """The investor as the service takes it: the one already linked if the name was left as it was."""
        name = " ".join((self.cleaned_data.get("company_name") or "").split())
        code = (self.cleaned_data.get("credit_code") or "").strip()
        current = None
        if self.instance is not None and self.instance.investor_id:
            current = self.instance.investor
        elif self.visit is not None:
            current = self.visit.company
        if current is not None and name == current.name:
            return {"investor": current}
        if not name:
            return {"investor": None} if self.instance is not None else {}
        return {"investor_name": name, "credit_code": code}

    def service_kwargs(self):
        data = {field: self.cleaned_data.get(field) or "" for field in self.text_fields}
        data.update(
            collected_date=self.cleaned_data.get("collected_date"),
            source=self.cleaned_data.get("source"),
            estimated_amount=self.cleaned_data.get("estimated_amount") or None,
            chain=self.cleaned_data.get("chain"),
            segment=self.cleaned_data.get("segment"),
            contact_reached=bool(self.cleaned_data.get("contact_reached")),
            files=self.cleaned_data.get("files") or [],
        )
        data.update(self._investor())
        reporters = list(self.cleaned_data.get("reporters") or [])
        if self.instance is None:
            data["reporting_unit"] = self.cleaned_data.get("reporting_unit")
            # Nobody ticked: the person entering reported it (the service's default).
            data["reporters"] = reporters or None
        else:
            data["reporters"] = reporters
        return data


# --- Actions on a lead ---------------------------------------------------------------------------


class ActionForm(BootstrapMixin, forms.Form):
    """One action on one lead; `name` names its URL (`leads:lead_<name>`) and its block on the lead's page."""

    name = ""
    title = ""
    submit_label = _("提交")
    button_class = "btn-primary"

    def __init__(self, *args, lead=None, user=None, **kwargs):
        self.lead = lead
        self.user = user
        kwargs.setdefault("prefix", self.name.replace("-", "_"))
        super().__init__(*args, **kwargs)
        self.setup()
        self._style()

    def setup(self):
        """Choices that depend on the lead and the user."""

    @property
    def action_url(self):
        return reverse(f"leads:lead_{self.name.replace('-', '_')}", args=[self.lead.pk])

    @property
    def block_id(self):
        return f"action-{self.name}"

    def service_kwargs(self):
        return dict(self.cleaned_data)


def lead_settings(lead):
    """The lead's city rules as stored, else the defaults (reading them never writes)."""
    return LeadSettings.objects.filter(owner_id=lead.owner_id).first()


def grade_choices(lead):
    settings = lead_settings(lead)
    grades = list(settings.grades) if settings is not None and settings.grades else list(DEFAULT_GRADES)
    return [("", "---------"), *((g, g) for g in grades)]


RECEIVING_UNIT_ERROR = _("推送单位须为本市的县（市、区）或开发区，请从列表中选择。")


class NegativeListMixin:
    """The confirmation the office gives after seeing that the lead falls under a zone's negative list.

    The checkbox is shown only once the service has refused with the entries found; the
    view then sets `negative_hits` so the page lists them beside it.
    """

    negative_hits = ()

    def add_confirm(self):
        self.fields["confirm_negative_list"] = forms.BooleanField(
            label=_("已知悉上述负面清单提示，仍确认推送"), required=False
        )

    @property
    def asks_confirmation(self):
        return bool(self.negative_hits)


class AssessForm(NegativeListMixin, ActionForm):
    name = "assess"
    title = _("研判")
    submit_label = _("提交研判")

    grade = forms.ChoiceField(label=_("线索等级"), required=False)
    chain = forms.ModelChoiceField(label=_("所属产业链"), queryset=IndustryChain.objects.none(), required=False)
    opinion = forms.CharField(label=_("研判意见"), required=False, widget=textarea())
    receiving_unit = UnitChoiceField(
        label=_("推送单位"),
        queryset=Unit.objects.none(),
        required=False,
        error_messages={"invalid_choice": RECEIVING_UNIT_ERROR},
    )
    reject_reason = forms.CharField(
        label=_("不予推送原因"), required=False, widget=textarea(2), help_text=_("不予推送时填写，不选推送单位。")
    )

    def setup(self):
        self.fields["grade"].choices = grade_choices(self.lead)
        self.fields["chain"].queryset = IndustryChain.objects.visible_to(self.user).filter(active=True)
        self.fields["receiving_unit"].queryset = selectors.receiving_units(self.lead.owner)
        self.initial.setdefault("chain", self.lead.chain_id)
        self.initial.setdefault("grade", self.lead.grade)
        self.add_confirm()


class ReassignForm(NegativeListMixin, ActionForm):
    name = "reassign"
    title = _("改派")
    submit_label = _("改派")

    receiving_unit = UnitChoiceField(
        label=_("改派至"), queryset=Unit.objects.none(), error_messages={"invalid_choice": RECEIVING_UNIT_ERROR}
    )
    opinion = forms.CharField(label=_("改派意见"), required=False, widget=textarea(2))

    def setup(self):
        units = selectors.receiving_units(self.lead.owner)
        if self.lead.receiving_unit_id:
            units = units.exclude(pk=self.lead.receiving_unit_id)
        self.fields["receiving_unit"].queryset = units
        self.add_confirm()


class AcceptForm(ActionForm):
    name = "accept"
    title = _("接收")
    submit_label = _("接收线索")
    button_class = "btn-success"


class ReturnForm(ActionForm):
    name = "return"
    title = _("退回")
    submit_label = _("退回招商中心")
    button_class = "btn-outline-danger"

    reason = forms.CharField(label=_("退回原因"), widget=textarea(2))


class ShareForm(ActionForm):
    name = "share"
    title = _("共享")
    submit_label = _("共享")
    button_class = "btn-outline-primary"

    unit = UnitChoiceField(label=_("共享给"), queryset=Unit.objects.none())

    def setup(self):
        lead = self.lead
        taken = {lead.owner_id, lead.reporting_unit_id, lead.receiving_unit_id}
        taken |= set(lead.shares.values_list("unit_id", flat=True))
        self.fields["unit"].queryset = (
            Unit.objects.filter(path__startswith=lead.owner.path, active=True)
            .exclude(pk__in=[pk for pk in taken if pk])
            .order_by("path")
        )


class UnshareForm(ActionForm):
    """The office stops sharing the lead with one unit: a button beside each shared unit, not a block of its own."""

    name = "unshare"
    title = _("取消共享")
    submit_label = _("取消共享")
    button_class = "btn-outline-danger"

    unit = UnitChoiceField(
        label=_("共享单位"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": _("该线索未共享给此单位。"), "required": _("请选择要取消共享的单位。")},
    )

    def setup(self):
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=self.lead.shares.values("unit_id"))


class MovePoolForm(ActionForm):
    name = "move-pool"
    title = _("转库")
    submit_label = _("转库")

    pool = forms.ModelChoiceField(label=_("转入"), queryset=LeadPool.objects.none())
    note = forms.CharField(label=_("说明"), required=False, widget=textarea(2), help_text=_("转入已失效库须填写原因。"))

    def setup(self):
        self.fields["pool"].queryset = LeadPool.objects.filter(owner_id=self.lead.owner_id, active=True).exclude(
            pk=self.lead.pool_id
        )


class FollowUpForm(ActionForm):
    name = "follow-up"
    title = _("跟进")
    submit_label = _("添加跟进记录")

    follow_date = forms.DateField(label=_("跟进日期"), widget=DateInput())
    note = forms.CharField(label=_("跟进情况"), widget=textarea(3))
    inspection = forms.ModelChoiceField(label=_("关联考察"), queryset=Inspection.objects.none(), required=False)
    event = forms.ModelChoiceField(label=_("关联推介会"), queryset=PromotionEvent.objects.none(), required=False)

    def setup(self):
        self.initial.setdefault("follow_date", timezone.localdate())
        investor = self.lead.investor_id
        # Only the investor's own inspections and events: a short list, not every record of the city.
        if investor:
            self.fields["inspection"].queryset = (
                Inspection.objects.visible_to(self.user).filter(company_id=investor).order_by("-inspection_date")
            )
            self.fields["event"].queryset = (
                PromotionEvent.objects.visible_to(self.user).filter(companies=investor).order_by("-event_date")
            )
        else:
            del self.fields["inspection"]
            del self.fields["event"]


class CloseForm(ActionForm):
    name = "close"
    title = _("关闭")
    submit_label = _("关闭线索")
    button_class = "btn-outline-danger"

    reason = forms.CharField(label=_("关闭原因"), widget=textarea(2))


class ReopenForm(ActionForm):
    name = "reopen"
    title = _("重新打开")
    submit_label = _("重新打开")
    button_class = "btn-outline-primary"

    reason = forms.CharField(label=_("原因"), required=False, widget=textarea(2))
    pool = forms.ModelChoiceField(
        label=_("回到"), queryset=LeadPool.objects.none(), required=False, help_text=_("不选则回到关闭前所在的库。")
    )

    def setup(self):
        if self.lead.status == "closed":
            self.fields["pool"].queryset = LeadPool.objects.filter(owner_id=self.lead.owner_id, active=True).exclude(
                kind=PoolKind.LOST
            )
        else:
            del self.fields["pool"]


class ConflictDecideForm(BootstrapMixin, forms.Form):
    """The office decides who leads on a contested investor; the units offered are those involved."""

    leading_unit = UnitChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    same_lead = forms.BooleanField(label=_("认定为同一线索（另一条不再重复计数）"), required=False)
    decision = forms.CharField(label=_("裁定意见"), required=False, widget=textarea(2))

    def __init__(self, *args, conflict=None, user=None, units=None, **kwargs):
        self.conflict = conflict
        kwargs.setdefault("prefix", f"conflict_{conflict.pk}")
        super().__init__(*args, **kwargs)
        ids = involved_unit_ids(conflict)
        field = self.fields["leading_unit"]
        field.queryset = Unit.objects.filter(pk__in=ids).order_by("path")
        if units is not None:
            # A lead's page shows one form per conflict: the units of all of them come from one query
            # (`units`, {pk: Unit}), not one each; the queryset above still checks what is posted.
            offered = sorted((units[pk] for pk in ids if pk in units), key=lambda unit: unit.path)
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            field.choices = [*empty, *((unit.pk, field.label_from_instance(unit)) for unit in offered)]
        if not conflict.other_lead_id:
            del self.fields["same_lead"]
        self._style()

    def service_kwargs(self):
        return dict(self.cleaned_data)


def involved_unit_ids(conflict):
    """The units a conflict is between: the reporting and receiving units of each lead, or the visiting unit."""
    ids = set()
    for lead in (conflict.lead, conflict.other_lead):
        if lead is None:
            continue
        ids.add(lead.reporting_unit_id)
        if lead.receiving_unit_id and lead.status in HELD_STATUSES:
            ids.add(lead.receiving_unit_id)
    if conflict.other_visit_id:
        ids.add(conflict.other_visit.unit_id)
    return ids


# --- The office's settings ----------------------------------------------------------------------


class LeadRuleForm(BootstrapMixin, forms.Form):
    """What makes a lead effective, the grades and the deadlines of one city (leads.services checks the values)."""

    prefix = "rule"
    grades = forms.CharField(
        label=_("线索等级"),
        max_length=200,
        required=False,
        help_text=_("从高到低，用顿号或逗号分隔，如 A、B、C。"),
    )
    requires_investor = forms.BooleanField(label=_("实效线索须有明确投资方"), required=False)
    requires_content = forms.BooleanField(label=_("实效线索须有具体项目内容"), required=False)
    min_content_length = forms.IntegerField(label=_("项目内容最少字数"))
    requires_amount = forms.BooleanField(label=_("实效线索须有拟投资额"), required=False)
    requires_contact = forms.BooleanField(label=_("实效线索须已与投资方取得联系"), required=False)
    assess_working_days = forms.IntegerField(label=_("研判时限（工作日）"), help_text=_("自收集之日起计，节假日顺延。"))
    feedback_days = forms.IntegerField(label=_("反馈时限（自然日）"), help_text=_("自线索录入系统之日起计。"))

    def __init__(self, *args, settings=None, **kwargs):
        if settings is not None:
            kwargs.setdefault(
                "initial",
                {
                    "grades": "、".join(settings.grades or DEFAULT_GRADES),
                    "requires_investor": settings.requires_investor,
                    "requires_content": settings.requires_content,
                    "min_content_length": settings.min_content_length,
                    "requires_amount": settings.requires_amount,
                    "requires_contact": settings.requires_contact,
                    "assess_working_days": settings.assess_working_days,
                    "feedback_days": settings.feedback_days,
                },
            )
        super().__init__(*args, **kwargs)
        self._style()

    def service_kwargs(self):
        return dict(self.cleaned_data)


class PoolForm(BootstrapMixin, forms.Form):
    """A pool of the city: added below the table, or corrected in its own row (each row its own prefix)."""

    code = forms.CharField(
        label=_("编码"), max_length=32, required=False, help_text=_("字母、数字、下划线或连字符，本市唯一。")
    )
    name = forms.CharField(label=_("名称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("性质"), choices=PoolKind.choices, initial=PoolKind.OPEN)
    sort_order = forms.IntegerField(label=_("排序"), required=False, help_text=_("数字小的在前。"))
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, pool=None, **kwargs):
        self.pool = pool
        kwargs.setdefault("prefix", f"pool_{pool.pk}" if pool is not None else "new_pool")
        if pool is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": pool.code,
                    "name": pool.name,
                    "kind": pool.kind,
                    "sort_order": pool.sort_order,
                    "active": pool.active,
                },
            )
        super().__init__(*args, **kwargs)
        self._style()

    @property
    def block_id(self):
        return f"pool-{self.pool.pk}" if self.pool is not None else "pool-new"

    def service_kwargs(self):
        return dict(self.cleaned_data)


NEGATIVE_UNIT_ERROR = _("负面清单只能设在本市的县（市、区）或开发区，请从列表中选择。")


class NegativeListForm(BootstrapMixin, forms.Form):
    """An industry a county or zone of the city refuses; matched against a lead by its chain or keywords."""

    unit = UnitChoiceField(
        label=_("县区/开发区"),
        queryset=Unit.objects.none(),
        error_messages={"invalid_choice": NEGATIVE_UNIT_ERROR, "required": _("请选择县（市、区）或开发区。")},
    )
    industry = forms.CharField(label=_("限制或禁止的产业"), max_length=100, required=False)
    chain = forms.ModelChoiceField(label=_("产业链"), queryset=IndustryChain.objects.none(), required=False)
    keywords = forms.CharField(
        label=_("关键词"),
        max_length=200,
        required=False,
        help_text=_("线索名称或项目内容含其中任一词即提示，多个用顿号或逗号分隔。"),
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, city=None, entry: NegativeListEntry | None = None, **kwargs):
        self.city = city
        self.entry = entry
        kwargs.setdefault("prefix", "negative")
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "unit": entry.unit_id,
                    "industry": entry.industry,
                    "chain": entry.chain_id,
                    "keywords": entry.keywords,
                    "reason": entry.reason,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.receiving_units(city)
        # An entry keeps its chain even once the chain is retired, so that correcting it does not fail.
        chains = Q(cluster__owner=city, active=True)
        if entry is not None and entry.chain_id:
            chains |= Q(pk=entry.chain_id)
        self.fields["chain"].queryset = IndustryChain.objects.filter(chains).order_by(
            "cluster__sort_order", "sort_order", "id"
        )
        self._style()

    def service_kwargs(self):
        return dict(self.cleaned_data)
