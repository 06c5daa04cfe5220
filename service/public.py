"""The public complaint line (接诉即办): a company files a complaint without logging in, then follows it.

Seed 002 (临汾): "开通营商环境投诉举报监督专线，接诉即办、有诉联办、屡诉督办". Anyone on the internet
can reach these pages, so they show nothing of the system but the form and the one complaint
whose number and phone the visitor knows, and they resist spam without a captcha:

- a count per client address per hour in the cache (settings ZS_COMPLAINT_PER_HOUR submissions,
  ZS_COMPLAINT_LOOKUPS_PER_HOUR look-ups); past it, a 429 page;
- a hidden field that people never see and bots fill: such a post is accepted and dropped;
- a signed timestamp issued with the form: a post sooner than ZS_COMPLAINT_MIN_SECONDS after the
  form was shown is refused (people take longer than that to describe a problem);
- CSRF as everywhere, length limits, autoescaped output; uploads are checked as core checks every
  attachment, with a smaller size limit for the public.

A wrong number and a wrong phone give the same neutral answer: nobody learns whether a number exists.
The pages call the services (submit_complaint, find_complaint, respond_to_complaint) and nothing else.
"""

import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.attachments import check_upload
from core.context import client_ip
from core.forms import BootstrapMixin
from core.views import attach_errors
from organizations.choices import UnitKind
from organizations.models import Unit

from . import services
from .choices import ProblemStatus, Satisfaction

STAMP_SALT = "service.public.complaint-form"
# A form older than this must be reloaded (its stamp is no longer accepted).
STAMP_MAX_AGE = 6 * 3600
MAX_FILES = 3
# Photos and PDFs only on the public form, and smaller than what staff may attach.
PUBLIC_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".pdf")
PUBLIC_FILE_BYTES = 10 * 1024 * 1024
SESSION_FILED = "zs_complaint_filed"
NEUTRAL = gettext_lazy("编号或联系电话不正确。")
WINDOW_SECONDS = 3600


def min_seconds():
    return getattr(settings, "ZS_COMPLAINT_MIN_SECONDS", 3)


def submissions_per_hour():
    return getattr(settings, "ZS_COMPLAINT_PER_HOUR", 5)


def lookups_per_hour():
    return getattr(settings, "ZS_COMPLAINT_LOOKUPS_PER_HOUR", 30)


def file_limit_bytes():
    from core.attachments import max_bytes

    return min(PUBLIC_FILE_BYTES, max_bytes())


# --- Spam resistance ---------------------------------------------------------------------------------


def make_stamp(issued_at=None):
    """The signed moment the form was shown; the post must come back with it, and not too soon."""
    return signing.dumps({"t": time.time() if issued_at is None else issued_at}, salt=STAMP_SALT)


def stamp_problem(value):
    """None when the stamp is good; else why not: "invalid" (forged, missing or too old) or "fast"."""
    try:
        data = signing.loads(value or "", salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
        issued = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "invalid"
    age = time.time() - issued
    if age > STAMP_MAX_AGE:
        return "invalid"
    if age < min_seconds():
        return "fast"
    return None


def _window_key(kind, request):
    window = int(time.time() // WINDOW_SECONDS)
    return f"zs:complaint:{kind}:{client_ip(request) or 'unknown'}:{window}"


def _over_limit(kind, request, limit):
    return (cache.get(_window_key(kind, request)) or 0) >= limit


def _count(kind, request):
    key = _window_key(kind, request)
    cache.add(key, 0, WINDOW_SECONDS + 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 60)


def _too_many(request, what):
    response = render(request, "service/public/limited.html", {"what": what}, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS)
    return response


def _public(response):
    """Personal details must not be kept by a shared computer's browser or a proxy."""
    response["Cache-Control"] = "no-store"
    return response


# --- Forms --------------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(PUBLIC_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        uploads = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads if upload]


class ComplaintForm(BootstrapMixin, forms.Form):
    company_name = forms.CharField(
        label=gettext_lazy("企业名称"), max_length=200, error_messages={"required": gettext_lazy("请填写企业名称。")}
    )
    contact_name = forms.CharField(
        label=gettext_lazy("联系人"), max_length=50, error_messages={"required": gettext_lazy("请填写联系人。")}
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=20,
        error_messages={"required": gettext_lazy("请填写联系电话。")},
        help_text=gettext_lazy("查询办理进度时须输入此电话，请填写常用手机号码。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("问题类别"),
        error_messages={
            "required": gettext_lazy("请选择问题类别。"),
            "invalid_choice": gettext_lazy("请选择问题类别。"),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("问题描述"),
        min_length=10,
        max_length=5000,
        error_messages={
            "required": gettext_lazy("请描述您遇到的问题。"),
            "min_length": gettext_lazy("请具体描述问题（至少 10 个字）。"),
            "max_length": gettext_lazy("问题描述请控制在 5000 字以内。"),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("请写明事情经过、涉及的单位或事项、您的诉求（10 至 5000 字）。"),
    )
    files = MultipleFileField(
        label=gettext_lazy("照片或材料"),
        required=False,
        help_text=gettext_lazy("可选，最多 3 个，每个不超过 10 MB；支持 jpg、png、heic 照片和 PDF。"),
    )
    # The honeypot: hidden from people, filled by bots.
    remark = forms.CharField(
        label=gettext_lazy("备注（请勿填写）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in categories}
        self.fields["category"].choices = [("", _("请选择"))] + [(k, c.name) for k, c in self.categories.items()]
        self._style()

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(_("最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
        limit = file_limit_bytes()
        for upload in uploads:
            name = Path(upload.name or "").name
            if Path(name).suffix.lower() not in PUBLIC_SUFFIXES:
                raise forms.ValidationError(
                    _("不支持的文件“%(name)s”：只能上传照片（jpg、png、heic）或 PDF 文件。") % {"name": name}
                )
            if upload.size > limit:
                raise forms.ValidationError(
                    _("文件“%(name)s”超过 %(mb)d MB，请压缩或拍摄较小的照片后再上传。")
                    % {"name": name, "mb": limit // (1024 * 1024)}
                )
            try:
                check_upload(upload)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages)
        return uploads


class LookupForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=gettext_lazy("投诉编号"), max_length=20)
    phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AcceptForm(BootstrapMixin, forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=gettext_lazy("满意度"), choices=Satisfaction.choices, coerce=int, initial=Satisfaction.VERY
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReopenForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("退回原因"),
        max_length=1000,
        error_messages={"required": gettext_lazy("请说明退回重办的原因。")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("请说明答复哪里没有解决您的问题。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


# --- Pages --------------------------------------------------------------------------------------------


def _cities():
    return list(Unit.objects.filter(kind=UnitKind.CITY, active=True).order_by("sort_order", "id"))


def _city(request, cities):
    if not cities:
        raise Http404(_("暂未开通投诉受理。"))
    code = (request.GET.get("city") or "").strip()
    return next((c for c in cities if c.code == code), cities[0])


class ComplaintView(View):
    """File a complaint: the form, and its post → submit_complaint → the tracking number."""

    template_name = "service/public/file.html"

    def get(self, request):
        cities = _cities()
        city = _city(request, cities)
        form = ComplaintForm(categories=self._categories(city), initial={"stamp": make_stamp()})
        return self._render(request, form, city, cities)

    def post(self, request):
        cities = _cities()
        city = _city(request, cities)
        if _over_limit("submit", request, submissions_per_hour()):
            return _too_many(request, _("提交投诉"))
        if (request.POST.get("remark") or "").strip():
            # A bot: looks accepted to it, nothing is kept.
            _count("submit", request)
            request.session[SESSION_FILED] = ""
            return redirect("complaint:done")
        form = ComplaintForm(request.POST, request.FILES, categories=self._categories(city))
        stamp = stamp_problem(request.POST.get("stamp"))
        if stamp == "invalid":
            form = self._restamped(form, request)
            form.add_error(None, _("页面已过期，请核对内容后重新提交。"))
            return self._render(request, form, city, cities)
        if stamp == "fast":
            form.add_error(None, _("提交过快，请核对填写的内容，稍候几秒再提交。"))
            return self._render(request, form, city, cities)
        if not form.is_valid():
            return self._render(request, form, city, cities)
        data = form.cleaned_data
        try:
            complaint = services.submit_complaint(
                owner=city,
                company_name=data["company_name"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                category=data["category"],
                description=data["description"],
                files=data["files"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self._render(request, form, city, cities)
        _count("submit", request)
        request.session[SESSION_FILED] = complaint.number
        return redirect("complaint:done")

    def _categories(self, city):
        return [c for c in services.categories_for(city) if c.active]

    def _restamped(self, form, request):
        data = request.POST.copy()
        data["stamp"] = make_stamp()
        fresh = ComplaintForm(data, request.FILES, categories=list(form.categories.values()))
        fresh.is_valid()
        return fresh

    def _render(self, request, form, city, cities):
        context = {"form": form, "city": city, "cities": cities if len(cities) > 1 else []}
        return _public(render(request, self.template_name, context))


class ComplaintDoneView(View):
    """The tracking number, shown once after filing (post/redirect/get: a reload files nothing twice)."""

    def get(self, request):
        if SESSION_FILED not in request.session:
            return redirect("complaint:file")
        number = request.session.pop(SESSION_FILED)
        context = {"number": number, "status_url": reverse("complaint:status")}
        return _public(render(request, "service/public/done.html", context))


class ComplaintStatusView(View):
    """Follow a complaint with its number and phone; accept the answer (with a grade) or send it back."""

    template_name = "service/public/status.html"

    def get(self, request):
        return self._render(request, LookupForm())

    def post(self, request):
        if _over_limit("lookup", request, lookups_per_hour()):
            return _too_many(request, _("查询"))
        _count("lookup", request)
        action = request.POST.get("action") or "lookup"
        lookup = LookupForm(request.POST)
        if not lookup.is_valid():
            return self._render(request, LookupForm(), error=NEUTRAL)
        number, phone = lookup.cleaned_data["number"], lookup.cleaned_data["phone"]
        complaint = services.find_complaint(number, phone)
        if complaint is None:
            # The same answer whichever of the two is wrong, and the form comes back empty.
            return self._render(request, LookupForm(), error=NEUTRAL)
        accept_form, reopen_form, notice = AcceptForm(), ReopenForm(), ""
        if action in ("accept", "reopen") and complaint.status == ProblemStatus.SOLVED:
            form = AcceptForm(request.POST) if action == "accept" else ReopenForm(request.POST)
            if form.is_valid():
                try:
                    services.respond_to_complaint(
                        number=number,
                        phone=phone,
                        accept=action == "accept",
                        satisfaction=form.cleaned_data.get("satisfaction"),
                        reason=form.cleaned_data.get("reason", ""),
                    )
                except ValidationError as exc:
                    attach_errors(form, exc)
                else:
                    notice = (
                        _("感谢您的评价，该投诉已确认办结。")
                        if action == "accept"
                        else _("已退回重办，我们将督促承办部门重新办理。")
                    )
                    complaint = services.find_complaint(number, phone)
            if action == "accept":
                accept_form = form
            else:
                reopen_form = form
        return self._render(
            request,
            LookupForm(),
            complaint=complaint,
            number=number,
            phone=phone,
            accept_form=accept_form,
            reopen_form=reopen_form,
            notice=notice,
        )

    def _render(self, request, lookup, *, complaint=None, error="", **extra):
        context = {"lookup": lookup, "error": error, "complaint": _shown(complaint), **extra}
        return _public(render(request, self.template_name, context))


def _shown(complaint):
    """All a visitor may see of a complaint: nothing of who handles it, nothing of the timeline."""
    if complaint is None:
        return None
    answered = complaint.status in (ProblemStatus.SOLVED, ProblemStatus.CLOSED)
    return {
        "number": complaint.number,
        "category": complaint.category.name,
        "status": complaint.get_status_display(),
        "raised_on": complaint.raised_on,
        "due_on": complaint.due_on,
        "answer": complaint.answer if answered else "",
        "closed": complaint.status == ProblemStatus.CLOSED,
        "may_respond": complaint.status == ProblemStatus.SOLVED,
    }
