"""The ledger upload page with its preview, the confirmation, and the Excel export download.

Thin views: the form checks the shape, core/imports.py and core/ledgers.py do the work.
A ledger that is not registered, a job that is not the user's own and a unit outside the
user's ledgers are all a 404: nothing about them is revealed.
"""

import io
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from organizations.choices import Role

from .forms import BootstrapMixin, DateInput
from .imports import create_import_job, rejected_workbook_for, run_import_job
from .ledgers import export_ledger, get_ledger
from .models import ImportJob, ImportJobStatus
from .views import RoleRequiredMixin, ServiceFormMixin

LEDGER_ROLES = (Role.OFFICE_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_or_404(name):
    """The registered ledger, or a 404: an unknown name in the URL is just a page that is not there."""
    try:
        return get_ledger(name)
    except KeyError:
        raise Http404(_("没有这个台账。"))


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ImportUploadForm(BootstrapMixin, forms.Form):
    """The unit to import into (only the user's own), the file, and all-or-nothing or good rows only."""

    org = OrgChoiceField(label=gettext_lazy("导入到单位"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=gettext_lazy("台账文件"),
        help_text=gettext_lazy("Excel 文件（.xlsx），表头与台账模板一致；可先导出一份作为模板。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    good_rows_only = forms.BooleanField(
        label=gettext_lazy("仅导入正确的行"),
        help_text=gettext_lazy(
            "不勾选时，只要有一行错误就不导入任何数据；勾选后导入正确的行，错误的行可下载修改后再导入。"
        ),
        required=False,
    )

    def __init__(self, *args, ledger, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = ledger.allowed_orgs(user).order_by("path")
        self._style()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() != ".xlsx":
            raise ValidationError(_("请上传 Excel（.xlsx）文件；.xls 或 .csv 请先在 Excel 中另存为 .xlsx。"))
        return upload


class LedgerMixin(RoleRequiredMixin):
    """Ledger keepers only; the ledger named in the URL, or a 404."""

    required_roles = LEDGER_ROLES

    def dispatch(self, request, *args, **kwargs):
        self.ledger = ledger_or_404(kwargs["ledger"])
        return super().dispatch(request, *args, **kwargs)


class ImportUploadView(LedgerMixin, ServiceFormMixin, FormView):
    """Upload a ledger file: it is checked at once and the preview shows what would be imported."""

    form_class = ImportUploadForm
    template_name = "core/import_upload.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ledger"] = self.ledger
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ledger"] = self.ledger
        ctx["title"] = _("导入%(title)s") % {"title": self.ledger.title}
        ctx["jobs"] = (
            ImportJob.objects.visible_to(self.request.user)
            .filter(ledger=self.ledger.name)
            .select_related("org")
            .order_by("-id")[:10]
        )
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: create_import_job(
                ledger=self.ledger,
                org=data["org"],
                upload=data["file"],
                actor=self.request.user,
                good_rows_only=data["good_rows_only"],
            ),
            lambda job: reverse("core:import_preview", args=[job.pk]),
        )


class JobMixin(RoleRequiredMixin):
    """An import job is its uploader's alone: anyone else's, like a missing one, is a 404."""

    required_roles = LEDGER_ROLES

    def get_job(self):
        job = (
            ImportJob.objects.visible_to(self.request.user)
            .select_related("org", "created_by")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if job is None:
            raise Http404(_("未找到该导入记录，或您无权查看。"))
        return job


class ImportPreviewView(JobMixin, TemplateView):
    """A job's counts, its first rows, every problem listed, and the button to import."""

    template_name = "core/import_preview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.get_job()
        try:
            ledger = get_ledger(job.ledger)
        except KeyError:
            ledger = None
        summary = job.summary or {}
        ctx.update(
            job=job,
            ledger=ledger,
            title=_("导入预览：%(name)s") % {"name": job.original_name},
            summary=summary,
            headers=summary.get("headers", []),
            preview=summary.get("preview", []),
            problems=job.problems,
            can_confirm=ledger is not None
            and job.status in (ImportJobStatus.PREVIEWED, ImportJobStatus.FAILED)
            and (not summary.get("rejected") or job.good_rows_only),
            is_imported=job.status == ImportJobStatus.IMPORTED,
        )
        return ctx


class ImportConfirmView(JobMixin, View):
    """Run the real import of a previewed job, then show the job again with what was done."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        try:
            job = run_import_job(job=job, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("core:import_preview", pk=job.pk)
        if job.status == ImportJobStatus.IMPORTED:
            summary = job.summary
            messages.success(
                request,
                _("导入完成：新增 %(created)d 行，已存在跳过 %(skipped)d 行，拒绝 %(rejected)d 行")
                % {
                    "created": summary.get("created", 0),
                    "skipped": summary.get("skipped_existing", 0),
                    "rejected": summary.get("rejected", 0),
                },
            )
        else:
            messages.error(request, job.summary.get("error") or _("导入失败，未写入任何数据。"))
        return redirect("core:import_preview", pk=job.pk)


class ImportRejectedView(JobMixin, View):
    """Download the rejected rows of a job, with the reason for each, to fix and import again."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if not job.problems and not job.rejected_file:
            raise Http404(_("该导入没有被拒绝的行。"))
        try:
            content = rejected_workbook_for(job)
        except (KeyError, ValueError, OSError):
            raise Http404(_("无法生成被拒绝的行。"))
        stem = Path(job.original_name).stem or "ledger"
        filename = _("%(name)s-错误行.xlsx") % {"name": stem}
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_TYPE)


class ExportChoiceForm(BootstrapMixin, forms.Form):
    """Which unit's ledger, and which period, for someone who reads several units' ledgers."""

    org = OrgChoiceField(label=gettext_lazy("单位"), queryset=None)
    start = forms.DateField(label=gettext_lazy("开始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("结束日期"), required=False, widget=DateInput())

    def __init__(self, *args, ledger, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = ledger.allowed_orgs(user, export=True).order_by("path")
        self._style()


class ExportLedgerView(LedgerMixin, View):
    """Download a unit's ledger as .xlsx (streamed from a temporary file, audited)."""

    def get(self, request, *args, **kwargs):
        ledger = self.ledger
        data = request.GET.copy()
        if not data.get("org"):
            # Someone who keeps the ledger for one unit only need not say which; the office chooses.
            candidates = list(ledger.allowed_orgs(request.user, export=True)[:2])
            if len(candidates) == 1:
                data["org"] = str(candidates[0].pk)
        form = ExportChoiceForm(ledger=ledger, user=request.user, data=data if data.get("org") else None)
        if not form.is_valid():
            if form.is_bound and "org" in form.errors:
                raise Http404(_("未找到该单位，或您无权导出其台账。"))
            return render(request, "core/export_choose.html", {"form": form, "ledger": ledger, "title": ledger.title})
        org = form.cleaned_data["org"]
        # The period is checked as dates; a ledger's own filters pass on as typed; nothing else does.
        filters = {name: request.GET[name] for name in ledger.export_filters if request.GET.get(name)}
        for name in ("start", "end"):
            filters.pop(name, None)
            if name in ledger.export_filters and form.cleaned_data.get(name):
                filters[name] = form.cleaned_data[name]
        out = tempfile.TemporaryFile()
        try:
            export_ledger(ledger, actor=request.user, org=org, out=out, **filters)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=f"{org.name}{ledger.title}.xlsx", content_type=XLSX_TYPE)
