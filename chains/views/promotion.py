"""A chain's "六个一": the office fills it in and keeps the policy package; everyone in the city reads the overview.

Thin: a form checks the shape, a service in chains.services writes (and audits). A chain the
user may read but not change is a 403 here, another city's a 404.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.scope import scope_of
from core.views import ScopedListView
from organizations.choices import Role

from .. import selectors, services
from ..filtersets import ChainFilterSet
from ..forms import ChainPromotionForm, ConfirmForm, PolicyDocumentForm
from ..models import ChainPromotion, IndustryChain, PolicyDocument
from ..tables import PromotionTable
from .taxonomy import ChainObjectMixin


def promotion_url(chain):
    return chain.get_absolute_url() + "#chain-promotion"


class PromotionOverviewView(ScopedListView):
    """Every chain of the city with its "六个一" and figures, 25 a page."""

    model = IndustryChain
    table_class = PromotionTable
    filterset_class = ChainFilterSet
    template_name = "chains/promotion_list.html"
    title = gettext_lazy("产业链“六个一”推进机制")

    def get_queryset(self):
        return selectors.promotion_overview(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_office"] = scope_of(self.request.user).has(Role.OFFICE_STAFF)
        return ctx


class PromotionEditView(ChainObjectMixin, FormView):
    form_class = ChainPromotionForm
    template_name = "chains/form.html"
    success_message = gettext_lazy("“六个一”已保存。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "chain": self.chain}

    def get_initial(self):
        promotion = ChainPromotion.objects.filter(chain=self.chain).first()
        if promotion is None:
            return {}
        return {
            "leader": promotion.leader_id,
            "leader_name": promotion.leader_name,
            "leader_title": promotion.leader_title,
            "team": promotion.team_id,
            "chain_leader": promotion.chain_leader_id,
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        return self.service_response(
            form,
            lambda: services.set_chain_promotion(actor=self.request.user, chain=self.chain, **data),
            lambda _p: promotion_url(self.chain),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("“六个一”：%(name)s") % {"name": self.chain.name}
        ctx["cancel_url"] = promotion_url(self.chain)
        return ctx


class PolicyAddView(ChainObjectMixin, FormView):
    form_class = PolicyDocumentForm
    template_name = "chains/form.html"
    success_message = gettext_lazy("政策文件已加入支持政策。")

    def form_valid(self, form):
        d = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.add_policy_document(
                actor=self.request.user,
                chain=self.chain,
                title=d["title"],
                issued_on=d.get("issued_on"),
                file=d["file"],
            ),
            lambda _doc: promotion_url(self.chain),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("添加支持政策文件：%(name)s") % {"name": self.chain.name}
        ctx["cancel_url"] = promotion_url(self.chain)
        ctx["multipart"] = True
        return ctx


class PolicyRemoveView(ChainObjectMixin, FormView):
    form_class = ConfirmForm
    template_name = "chains/confirm.html"
    success_message = gettext_lazy("政策文件已移除。")

    def get_document(self):
        return get_object_or_404(PolicyDocument, pk=self.kwargs["document_pk"], promotion__chain=self.chain)

    def form_valid(self, form):
        document = self.get_document()
        return self.service_response(
            form,
            lambda: services.remove_policy_document(actor=self.request.user, document=document),
            lambda _pk: promotion_url(self.chain),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        document = self.get_document()
        ctx["title"] = _("移除政策文件：%(title)s") % {"title": document.title}
        ctx["question"] = _("确定把“%(title)s”移出“%(chain)s”的支持政策吗？文件将一并删除。") % {
            "title": document.title,
            "chain": self.chain.name,
        }
        ctx["button"] = _("移除")
        ctx["cancel_url"] = promotion_url(self.chain)
        return ctx
