"""The actions on a project's page: move the stage, confirm a move, report progress, amend, the library."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapMixin, DateInput, RecordActionForm
from leads.forms import plain_amount

from .. import selectors
from ..choices import (
    STAGE_EVIDENCE,
    AmendmentKind,
    EvidenceKind,
    Stage,
)
from .common import (
    MonthField,
    amount_field,
    evidence_files,
    textarea,
)

# --- Actions on a project's page -----------------------------------------------------------------


class ActionForm(RecordActionForm):
    """One action on one project; `name` names its URL (`projects:project_<name>`) and its block on the page."""

    record_kwarg = "project"
    url_prefix = "projects:project_"


class MoveStageForm(ActionForm):
    """Move the stage: only the moves STAGE_TRANSITIONS allows are offered; the service checks whatever is sent."""

    name = "move"
    title = _("变更阶段")
    submit_label = _("提交阶段变更")
    multipart = True

    # Every stage is accepted here, so that a move the table forbids gets the service's own message.
    to = forms.ChoiceField(label=_("新阶段"), choices=Stage.choices)
    happened_on = forms.DateField(label=_("发生日期"), widget=DateInput())
    evidence_kind = forms.ChoiceField(
        label=_("佐证材料类型"), choices=[("", "---------"), *EvidenceKind.choices], required=False
    )
    files = evidence_files()
    reason = forms.CharField(
        label=_("原因/说明"), required=False, widget=textarea(2), help_text=_("退回、停建、终止须说明原因。")
    )
    output_value = amount_field(_("实际年产值（万元）"), help_text=_("改为“达效”时填写。"))

    def __init__(self, *args, moves=None, **kwargs):
        self.moves = moves or {}
        super().__init__(*args, **kwargs)

    def setup(self):
        offered = [(stage.value, stage.label) for stage in self.moves]
        self.fields["to"].widget.choices = [("", "---------"), *offered]
        self.initial.setdefault("happened_on", timezone.localdate())
        needs = []
        for stage in self.moves:
            kinds = STAGE_EVIDENCE.get(stage)
            if kinds:
                names = _("或").join(str(kind.label) for kind in sorted(kinds, key=str))
                needs.append(f"{stage.label}：{names}")
        if needs:
            self.fields["evidence_kind"].help_text = _("须提供：") + "；".join(needs)
        # Offered: the kinds the possible moves take (and 其他); any kind is accepted, the service judges it.
        kinds = {kind for stage in self.moves for kind in STAGE_EVIDENCE.get(stage, ())}
        self.fields["evidence_kind"].widget.choices = [
            ("", "---------"),
            *((kind.value, kind.label) for kind in EvidenceKind if kind in kinds or kind == EvidenceKind.OTHER),
        ]
        if not any(stage == Stage.AT_CAPACITY for stage in self.moves):
            del self.fields["output_value"]

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "to": data["to"],
            "happened_on": data["happened_on"],
            "reason": data.get("reason") or "",
            "evidence_kind": data.get("evidence_kind") or "",
            "files": data.get("files") or [],
            "output_value": data.get("output_value") or None,
        }


class EvidenceForm(ActionForm):
    """Add the evidence a pending move still lacks (an imported signing's contract), so a verifier can confirm it."""

    name = "evidence"
    title = _("补充佐证材料")
    submit_label = _("上传佐证材料")
    multipart = True

    evidence_kind = forms.ChoiceField(label=_("佐证材料类型"), choices=[("", "---------"), *EvidenceKind.choices])
    files = evidence_files(required=True)

    def __init__(self, *args, change=None, **kwargs):
        self.change = change
        super().__init__(*args, **kwargs)

    def setup(self):
        if self.change is not None:
            kinds = STAGE_EVIDENCE.get(Stage(self.change.to_stage), set())
            self.fields["evidence_kind"].widget.choices = [
                ("", "---------"),
                *((kind.value, kind.label) for kind in EvidenceKind if kind in kinds),
            ]

    def service_kwargs(self):
        return {"evidence_kind": self.cleaned_data["evidence_kind"], "files": self.cleaned_data["files"]}


class VerifyForm(BootstrapMixin, forms.Form):
    """A verifier confirms the evidence of a pending move or sends it back (with a reason)."""

    name = "verify"
    title = _("核验阶段变更")

    decision = forms.ChoiceField(
        label=_("核验结论"), choices=[("confirm", _("核验通过")), ("reject", _("退回"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("核验意见"), required=False, widget=textarea(2), help_text=_("退回须说明原因。"))

    def __init__(self, *args, change=None, **kwargs):
        self.change = change
        kwargs.setdefault("prefix", f"verify_{change.pk}")
        super().__init__(*args, **kwargs)
        self._style()

    @property
    def action_url(self):
        return reverse("projects:change_verify", args=[self.change.pk])

    @property
    def block_id(self):
        return f"verify-{self.change.pk}"

    def service_kwargs(self):
        return {"confirm": self.cleaned_data["decision"] == "confirm", "note": self.cleaned_data.get("note") or ""}


class ProgressForm(ActionForm):
    """The service team's monthly report: completed investment so far, funds arrived this month, progress."""

    name = "progress"
    title = _("报送月度进展")
    submit_label = _("报送")

    month = MonthField(label=_("月份"))
    completed_investment = amount_field(_("累计完成投资（万元）"), required=True)
    funds_fixed = amount_field(_("本月到位资金：固定资产投资（万元）"), help_text="")
    funds_non_fixed = amount_field(_("本月到位资金：非固定资产投资（万元）"), help_text="")
    funds_outside_province = amount_field(_("其中省外资金（万元）"), help_text="")
    funds_in_province = amount_field(_("其中省内市外资金（万元）"), help_text="")
    progress = forms.CharField(label=_("进展情况"), widget=textarea(3))
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=textarea(2), help_text=_("需要协调解决的问题。")
    )

    def setup(self):
        self.fields["completed_investment"].error_messages["required"] = _("请填写累计完成投资（万元）。")
        self.fields["progress"].error_messages["required"] = _("请填写进展情况。")
        self.initial.setdefault("month", selectors.previous_month())
        if self.project is not None and self.project.completed_investment:
            self.initial.setdefault("completed_investment", plain_amount(self.project.completed_investment))

    def service_kwargs(self):
        data = self.cleaned_data
        out = {
            "month": data["month"],
            "completed_investment": data["completed_investment"],
            "progress": data["progress"],
            "problems": data.get("problems") or "",
        }
        for field in ("funds_fixed", "funds_non_fixed", "funds_outside_province", "funds_in_province"):
            out[field] = data.get(field) or 0
        return out


class AmendForm(ActionForm):
    """增资 (adds its amount), 更名 or 重新签约: never a new project (统计口径)."""

    name = "amend"
    title = _("项目变更（增资/更名/重新签约）")
    submit_label = _("登记变更")
    button_class = "btn-outline-primary"

    kind = forms.ChoiceField(label=_("变更类型"), choices=AmendmentKind.choices)
    happened_on = forms.DateField(label=_("日期"), widget=DateInput())
    amount = amount_field(_("增加投资（万元）"), help_text=_("增资时填写，计入总投资，不新增项目。"))
    new_name = forms.CharField(label=_("新名称"), max_length=200, required=False, help_text=_("更名时填写。"))
    note = forms.CharField(label=_("说明"), required=False, widget=textarea(2))

    def setup(self):
        self.initial.setdefault("happened_on", timezone.localdate())

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "happened_on": data["happened_on"],
            "amount": data.get("amount") or None,
            "new_name": data.get("new_name") or "",
            "note": data.get("note") or "",
        }


class LibraryForm(ActionForm):
    """入库 and 备案, each with its date (today when left empty)."""

    name = "library"
    title = _("入库与备案")
    submit_label = _("保存")
    button_class = "btn-outline-primary"

    in_library = forms.BooleanField(label=_("已入库"), required=False)
    library_date = forms.DateField(label=_("入库日期"), required=False, widget=DateInput())
    filed = forms.BooleanField(label=_("已备案"), required=False)
    filed_date = forms.DateField(label=_("备案日期"), required=False, widget=DateInput())

    def setup(self):
        project = self.project
        for field in ("in_library", "library_date", "filed", "filed_date"):
            self.initial.setdefault(field, getattr(project, field))

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "in_library": bool(data.get("in_library")),
            "library_date": data.get("library_date"),
            "filed": bool(data.get("filed")),
            "filed_date": data.get("filed_date"),
        }
