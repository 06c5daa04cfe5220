"""Pages for the city's clusters and chains. Thin: a form checks the shape, a service writes.

Everyone working in the city reads the taxonomy; only its office changes it (a visible
page they may not change is a 403, another city's chain a 404).
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.scope import scope_of
from core.views import (
    EditableObjectFormMixin,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormMixin,
)
from organizations.choices import Role

from .. import selectors, services
from ..choices import SegmentPosition
from ..filtersets import ChainFilterSet, ClusterFilterSet
from ..forms import ChainCreateForm, ChainForm, ChainLeaderForm, ClusterForm, ConfirmForm, SegmentForm
from ..models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from ..tables import ChainTable, ClusterTable

OFFICE = (Role.OFFICE_STAFF,)


def cluster_url(cluster):
    return reverse("chains:chain_list") + f"?cluster={cluster.pk}"


def _is_office(user):
    return scope_of(user).has(Role.OFFICE_STAFF)


# --- Lists -----------------------------------------------------------------------------


class ChainListView(ScopedListView):
    """Every chain the user may see, grouped by cluster, 25 chains a page."""

    model = IndustryChain
    table_class = ChainTable
    filterset_class = ChainFilterSet
    title = _("产业集群与产业链")
    template_name = "chains/chain_list.html"

    def get_queryset(self):
        return selectors.chains_for_list(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_office"] = _is_office(self.request.user)
        return ctx


class ClusterListView(ScopedListView):
    model = IndustryCluster
    table_class = ClusterTable
    filterset_class = ClusterFilterSet
    title = _("产业集群")
    template_name = "chains/cluster_list.html"

    def get_queryset(self):
        return super().get_queryset().annotate(chain_count=Count("chains")).order_by("owner__path", "sort_order", "id")

    def get_table_kwargs(self):
        owners = IndustryCluster.objects.editable_by(self.request.user).values_list("owner_id", flat=True).distinct()
        return {"editable_owner_ids": owners}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_office"] = _is_office(self.request.user)
        return ctx


# --- Clusters ---------------------------------------------------------------------------


class ClusterCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    required_roles = OFFICE
    form_class = ClusterForm
    template_name = "chains/form.html"
    success_message = _("产业集群已新建。")

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form, lambda: services.create_cluster(actor=self.request.user, **data), cluster_url
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("新建产业集群")
        ctx["cancel_url"] = reverse("chains:cluster_list")
        return ctx


class ClusterEditView(EditableObjectFormMixin, FormView):
    model = IndustryCluster
    object_attr = "cluster"
    form_class = ClusterForm
    template_name = "chains/form.html"
    success_message = _("产业集群已保存。")

    def get_initial(self):
        c = self.cluster
        return {"name": c.name, "description": c.description, "sort_order": c.sort_order, "active": c.active}

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form, lambda: services.update_cluster(actor=self.request.user, cluster=self.cluster, **data), cluster_url
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑产业集群：%(name)s") % {"name": self.cluster.name}
        ctx["cancel_url"] = cluster_url(self.cluster)
        return ctx


# --- Chains -----------------------------------------------------------------------------


class ChainCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    required_roles = OFFICE
    form_class = ChainCreateForm
    template_name = "chains/form.html"
    success_message = _("产业链已新建。")
    form_takes_user = True

    def get_initial(self):
        cluster = self.request.GET.get("cluster", "")
        return {"cluster": cluster} if cluster.isdigit() else {}

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form, lambda: services.create_chain(actor=self.request.user, **data), lambda c: c.get_absolute_url()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("新建产业链")
        ctx["cancel_url"] = reverse("chains:chain_list")
        return ctx


class ChainObjectMixin(EditableObjectFormMixin):
    """A form acting on a chain the user may change (404 out of scope, 403 read-only)."""

    model = IndustryChain
    object_attr = "chain"

    def get_queryset(self):
        return super().get_queryset().select_related("cluster__owner")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["chain"] = self.chain
        ctx["cancel_url"] = self.chain.get_absolute_url()
        return ctx


class ChainEditView(ChainObjectMixin, FormView):
    form_class = ChainForm
    template_name = "chains/form.html"
    success_message = _("产业链已保存。")

    def get_initial(self):
        c = self.chain
        return {"name": c.name, "description": c.description, "sort_order": c.sort_order, "active": c.active}

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form,
            lambda: services.update_chain(actor=self.request.user, chain=self.chain, **data),
            lambda c: c.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑产业链：%(name)s") % {"name": self.chain.name}
        return ctx


# --- Segments ---------------------------------------------------------------------------


class SegmentAddView(ChainObjectMixin, FormView):
    form_class = SegmentForm
    template_name = "chains/form.html"
    success_message = _("环节已添加。")

    def get_initial(self):
        position = self.request.GET.get("position")
        return {"position": position} if position in SegmentPosition.values else {}

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form,
            lambda: services.add_segment(actor=self.request.user, chain=self.chain, **data),
            lambda _segment: self.chain.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("添加环节：%(name)s") % {"name": self.chain.name}
        return ctx


class SegmentObjectMixin(EditableObjectFormMixin):
    model = ChainSegment
    object_attr = "segment"

    def get_queryset(self):
        return super().get_queryset().select_related("chain__cluster")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["segment"] = self.segment
        ctx["chain"] = self.segment.chain
        ctx["cancel_url"] = self.segment.chain.get_absolute_url()
        return ctx


class SegmentEditView(SegmentObjectMixin, FormView):
    form_class = SegmentForm
    template_name = "chains/form.html"
    success_message = _("环节已保存。")

    def get_initial(self):
        s = self.segment
        return {"position": s.position, "name": s.name, "description": s.description, "sort_order": s.sort_order}

    def form_valid(self, form):
        data = form.changes()
        return self.service_response(
            form,
            lambda: services.update_segment(actor=self.request.user, segment=self.segment, **data),
            lambda s: s.chain.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("编辑环节：%(name)s") % {"name": self.segment.name}
        return ctx


class SegmentRemoveView(SegmentObjectMixin, FormView):
    form_class = ConfirmForm
    template_name = "chains/confirm.html"
    success_message = _("环节已删除。")

    def form_valid(self, form):
        chain_url = self.segment.chain.get_absolute_url()
        return self.service_response(
            form,
            lambda: services.remove_segment(actor=self.request.user, segment=self.segment),
            lambda _pk: chain_url,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("删除环节：%(name)s") % {"name": self.segment.name}
        ctx["question"] = _("确定从“%(chain)s”中删除环节“%(name)s”吗？仍有企业或记录引用的环节不能删除。") % {
            "chain": self.segment.chain.name,
            "name": self.segment.name,
        }
        ctx["button"] = _("删除")
        return ctx


# --- Chain leaders ----------------------------------------------------------------------


class LeaderAddView(ChainObjectMixin, FormView):
    form_class = ChainLeaderForm
    template_name = "chains/form.html"
    success_message = _("链主/链核企业已添加。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            user=self.request.user,
            chain=self.chain,
            options_url=reverse("chains:leader_company_options", args=[self.chain.pk]),
        )
        return kwargs

    def form_valid(self, form):
        d = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.add_chain_leader(
                actor=self.request.user, chain=self.chain, company=d["company"], kind=d["kind"]
            ),
            lambda _leader: self.chain.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("添加链主/链核企业：%(name)s") % {"name": self.chain.name}
        return ctx


class LeaderCompanyOptionsView(ChainObjectMixin, TemplateView):
    """The company select's options for a search (htmx): the same short list the form offers."""

    template_name = "chains/_company_options.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["companies"] = selectors.company_options(
            self.request.user, owner=self.chain.cluster.owner, q=self.request.GET.get("q", ""), not_leading=self.chain
        )
        return ctx


class LeaderRemoveView(ChainObjectMixin, FormView):
    form_class = ConfirmForm
    template_name = "chains/confirm.html"
    success_message = _("已移除该链主/链核企业。")

    def get_leader(self):
        leaders = ChainLeader.objects.select_related("company")
        return get_object_or_404(leaders, pk=self.kwargs["leader_pk"], chain=self.chain)

    def form_valid(self, form):
        leader = self.get_leader()
        return self.service_response(
            form,
            lambda: services.remove_chain_leader(actor=self.request.user, leader=leader),
            lambda _pk: self.chain.get_absolute_url(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        leader = self.get_leader()
        ctx["title"] = _("移除链主/链核企业：%(name)s") % {"name": leader.company.name}
        ctx["question"] = _("确定不再把“%(company)s”列为“%(chain)s”的%(kind)s吗？企业本身仍保留在目标企业库中。") % {
            "company": leader.company.name,
            "chain": self.chain.name,
            "kind": leader.get_kind_display(),
        }
        ctx["button"] = _("移除")
        return ctx
