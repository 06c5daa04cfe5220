"""The audit log pages: read-only, for the audit administrator alone.

Separation of duties (三员分立): the system administrator changes the system and the
audit administrator reads the record of those changes; neither does the other's job.
So the system administrator is refused here even when also holding the audit role, and
there is no view that writes: the log can only be read.
"""

import json
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from organizations.choices import Role

from .filtersets import AuditEventFilterSet
from .models import AuditChainHead, AuditEvent
from .scope import scope_of
from .tables import AuditEventTable, china_time
from .views import RoleRequiredMixin, ScopedListView


class AuditAdminOnlyMixin(RoleRequiredMixin):
    required_roles = (Role.AUDIT_ADMIN,)
    # Reading only: any other method is refused before a view runs.
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_of(request.user).has(Role.SYSTEM_ADMIN):
            raise PermissionDenied(_("系统管理员不能查看审计日志（三员分立）。"))
        return super().dispatch(request, *args, **kwargs)


class AuditListView(AuditAdminOnlyMixin, ScopedListView):
    model = AuditEvent
    table_class = AuditEventTable
    filterset_class = AuditEventFilterSet
    template_name = "core/audit_list.html"
    title = gettext_lazy("审计日志")

    def get_queryset(self):
        # The chain's order is the id's: newest first. Audit records belong to no unit,
        # the audit administrator reads them all.
        return AuditEvent.objects.order_by("-id")

    def get_paginate_by(self, queryset):
        # The table paginates; paginating the view's object_list too would count twice.
        return None

    def get_table_pagination(self, table):
        options = super().get_table_pagination(table)
        if not self.is_filtered():
            # The chain head already holds the number of records: no COUNT(*) over a
            # log of millions for the page everyone opens first.
            count = AuditChainHead.objects.filter(pk=1).values_list("count", flat=True).first()
            options["paginator_class"] = partial(KnownCountPaginator, known_count=count or 0)
        return options

    def is_filtered(self):
        filterset = self.filterset
        if not filterset.is_bound:
            return False
        if not filterset.is_valid():
            return True
        return any(value not in (None, "") for value in filterset.form.cleaned_data.values())


class KnownCountPaginator(Paginator):
    def __init__(self, *args, known_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = known_count


def pretty_json(value):
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


class AuditDetailView(AuditAdminOnlyMixin, DetailView):
    model = AuditEvent
    template_name = "core/audit_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        try:
            return AuditEvent.objects.get(pk=self.kwargs["pk"])
        except AuditEvent.DoesNotExist:
            raise Http404(_("未找到该审计记录。"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.object
        ctx["title"] = _("审计记录 #%(id)s") % {"id": event.pk}
        ctx["created_at_china"] = china_time(event.created_at)
        ctx["before_json"] = pretty_json(event.before)
        ctx["after_json"] = pretty_json(event.after)
        return ctx
