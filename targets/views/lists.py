"""All targets the user may see, filtered, each row with its progress counted over the page's rows only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.scope import scope_of
from core.views import ScopedListView
from organizations.choices import Role

from .. import selectors
from ..filtersets import TargetFilterSet
from ..models import READER_ROLES, Target
from ..tables import TargetTable


class TargetListView(ScopedListView):
    model = Target
    table_class = TargetTable
    filterset_class = TargetFilterSet
    template_name = "targets/list.html"
    title = gettext_lazy("全部目标")

    def get_queryset(self):
        return selectors.targets_for(self.request.user).select_related("unit", "person")

    def get_table_kwargs(self):
        return {"can_edit": scope_of(self.request.user).has(Role.OFFICE_STAFF)}

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        # The page's rows are one evaluated queryset: the table renders the same instances counted here.
        rows = [row.record for row in table.page.object_list] if getattr(table, "page", None) else []
        table.progress = {p.target.pk: p for p in selectors.progress(rows)}
        return table

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["show_city"] = scope_of(self.request.user).has(*READER_ROLES)
        if scope_of(self.request.user).has(Role.OFFICE_STAFF):
            ctx["create_url"] = reverse("targets:target_create")
            ctx["template_url"] = reverse("targets:apply_template")
        return ctx
