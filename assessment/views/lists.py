"""The schemes the user may see, paginated and filtered, each with its weights and the periods already locked."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.scope import scope_of
from core.views import ScopedListView
from organizations.choices import Role

from ..filtersets import SchemeFilterSet
from ..models import Scheme
from ..tables import SchemeTable


class SchemeListView(ScopedListView):
    model = Scheme
    table_class = SchemeTable
    filterset_class = SchemeFilterSet
    template_name = "assessment/list.html"
    title = gettext_lazy("考核方案")

    def get_queryset(self):
        return Scheme.objects.visible_to(self.request.user).select_related("owner").prefetch_related("items", "locks")

    def get_table_kwargs(self):
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if scope_of(self.request.user).has(Role.OFFICE_STAFF):
            ctx["create_url"] = reverse("assessment:scheme_create")
        return ctx
