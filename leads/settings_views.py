"""The office's lead settings under /leads/settings/: the effective-lead rule, the pools, the negative lists.

One page shows the three; each form POSTs to its own URL and calls one service in
leads.services (update_lead_settings, save_pool, save_negative_list_entry,
delete_negative_list_entry). A refusal shows the page again with the message on the
form that was sent, and nothing is written.

Only the office of the city keeps its settings: anyone else is refused (403), and a
pool or an entry of another city is a 404 (it is not revealed). An office working for
several cities chooses one with `?city=<id>`.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.views import RoleRequiredMixin, attach_errors
from enterprises.services import directory_owner
from organizations.choices import Role

from . import selectors, services
from .choices import DEFAULT_POOLS
from .forms import LeadRuleForm, NegativeListForm, PoolForm
from .models import LeadPool, NegativeListEntry

NEGATIVE_LIST_PER_PAGE = 25
NOT_FOUND = gettext_lazy("未找到该记录，或您无权查看。")


def settings_url(city, anchor="", **query):
    query = {"city": city.pk, **{k: v for k, v in query.items() if v}}
    return reverse("leads:settings") + "?" + urlencode(query) + (f"#{anchor}" if anchor else "")


class OfficeSettingsMixin(RoleRequiredMixin):
    """The office staff of a city, working on that city's settings (the first of theirs unless `?city=`)."""

    required_roles = (Role.OFFICE_STAFF,)

    @cached_property
    def cities(self):
        return list(selectors.office_cities(self.request.user))

    @cached_property
    def city(self):
        if not self.cities:
            raise PermissionDenied(_("只有城市招商中心工作人员可以设置线索规则。"))
        wanted = self.request.GET.get("city") or self.request.POST.get("city")
        if not wanted:
            return self.cities[0]
        for city in self.cities:
            if str(city.pk) == str(wanted):
                return city
        raise Http404(NOT_FOUND)

    def scoped_object(self, model):
        """A pool or an entry of the user's scope (404 otherwise) that they may change (403 otherwise)."""
        user = self.request.user
        try:
            obj = model.objects.visible_to(user).get(pk=self.kwargs["pk"])
        except (model.DoesNotExist, ValueError, TypeError):
            raise Http404(NOT_FOUND)
        if not model.objects.editable_by(user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("您无权修改该记录。"))
        return obj

    def page(self, city, *, rule_form=None, pool_form=None, negative_form=None):
        """The settings page of `city`, with a form that was sent and refused shown where it was."""
        request = self.request
        settings = selectors.settings_or_defaults(city)
        pools = list(selectors.pools_of(city))
        for pool in pools:
            if pool_form is not None and pool_form.pool is not None and pool_form.pool.pk == pool.pk:
                pool.form = pool_form
            else:
                pool.form = PoolForm(pool=pool)
        new_pool_form = pool_form if pool_form is not None and pool_form.pool is None else PoolForm()
        units = list(selectors.receiving_units(city))
        unit_filter = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
        entries = Paginator(selectors.negative_list_of(city, unit_filter), NEGATIVE_LIST_PER_PAGE)
        negative_page = entries.get_page(request.GET.get("page"))
        ctx = {
            "title": _("线索规则与设置"),
            "city": city,
            "cities": self.cities,
            "settings": settings,
            "settings_saved": settings.pk is not None,
            "rule_form": rule_form or LeadRuleForm(settings=settings),
            "pools": pools,
            "new_pool_form": new_pool_form,
            "open_pool": pool_form.block_id if pool_form is not None else "",
            "units": units,
            "unit_filter": unit_filter,
            "negative_page": negative_page,
            "negative_form": negative_form or NegativeListForm(city=city),
            "page_query": urlencode({"city": city.pk, **({"unit": unit_filter.pk} if unit_filter else {})}),
            "default_pools": [name for _code, name, _kind in DEFAULT_POOLS],
        }
        return render(request, "leads/settings.html", ctx)


def _refused(form, exc):
    attach_errors(form, exc)


class LeadSettingsView(OfficeSettingsMixin, View):
    """The page: the rule, the pools and the negative lists of the office's city."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return self.page(self.city)


class LeadRuleView(OfficeSettingsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        city = self.city
        form = LeadRuleForm(request.POST)
        if form.is_valid():
            try:
                services.update_lead_settings(actor=request.user, owner=city, **form.service_kwargs())
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("线索规则已保存。"))
                return redirect(settings_url(city, "rule"))
        return self.page(city, rule_form=form)


class PoolSaveView(OfficeSettingsMixin, View):
    """Add a pool (no pk) or correct one: rename, reorder, change its nature, retire or restore it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pool = self.scoped_object(LeadPool) if "pk" in self.kwargs else None
        city = pool.owner if pool is not None else self.city
        form = PoolForm(request.POST, pool=pool)
        if form.is_valid():
            try:
                services.save_pool(actor=request.user, owner=city, pool=pool, **form.service_kwargs())
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("线索库已保存。"))
                return redirect(settings_url(city, "pools"))
        return self.page(city, pool_form=form)


class NegativeListCreateView(OfficeSettingsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        city = self.city
        form = NegativeListForm(request.POST, city=city)
        if form.is_valid():
            try:
                services.save_negative_list_entry(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("负面清单已添加。"))
                return redirect(settings_url(city, "negative-list"))
        return self.page(city, negative_form=form)


class NegativeListEditView(OfficeSettingsMixin, View):
    """Correct one entry on a page of its own (its unit, industry, chain, keywords and reason)."""

    http_method_names = ["get", "post"]

    @cached_property
    def entry(self):
        return self.scoped_object(NegativeListEntry)

    @cached_property
    def entry_city(self):
        return directory_owner(self.entry.unit)

    def render_form(self, form):
        ctx = {
            "title": _("修改负面清单"),
            "entry": self.entry,
            "form": form,
            "city": self.entry_city,
            "cancel_url": settings_url(self.entry_city, "negative-list"),
        }
        return render(self.request, "leads/negative_form.html", ctx)

    def get(self, request, *args, **kwargs):
        return self.render_form(NegativeListForm(city=self.entry_city, entry=self.entry))

    def post(self, request, *args, **kwargs):
        form = NegativeListForm(request.POST, city=self.entry_city, entry=self.entry)
        if form.is_valid():
            try:
                services.save_negative_list_entry(actor=request.user, entry=self.entry, **form.service_kwargs())
            except ValidationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("负面清单已修改。"))
                return redirect(settings_url(self.entry_city, "negative-list"))
        return self.render_form(form)


class NegativeListDeleteView(OfficeSettingsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        entry = self.scoped_object(NegativeListEntry)
        city = directory_owner(entry.unit)
        try:
            services.delete_negative_list_entry(actor=request.user, entry=entry)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已从负面清单中删除“%(industry)s”。") % {"industry": entry.industry})
        return redirect(settings_url(city, "negative-list"))
