"""A chain's "六个一" (seed 001) and the figures beside it, for the chain's page, the overview and the API."""

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.models import Attachment
from leads.models import Lead
from projects.models import Project

from ..models import IndustryChain, PolicyDocument


def promotion_figures(user, chains):
    """`chains` with each one's figures from the records `user` may open, as subqueries (one query for a page).

    `lead_count` (the chain's leads), `project_count` (its projects) and `signed_investment` (万元:
    total investment of its signed projects, first signings only, as the project list's
    reached=signed&first_signing=true holds them), and `policy_count` (documents of its policy package).
    """
    leads = Lead.objects.visible_to(user).filter(chain=OuterRef("pk")).order_by()
    projects = Project.objects.visible_to(user).filter(chain=OuterRef("pk")).order_by()
    signed = projects.filter(signed_on__isnull=False, predecessor__isnull=True)
    policies = PolicyDocument.objects.filter(promotion__chain=OuterRef("pk")).order_by()
    money = DecimalField(max_digits=18, decimal_places=4)
    return chains.annotate(
        lead_count=Coalesce(Subquery(_count(leads, "chain")), 0),
        project_count=Coalesce(Subquery(_count(projects, "chain")), 0),
        signed_investment=Coalesce(
            Subquery(signed.values("chain").annotate(s=Sum("total_investment")).values("s"), output_field=money),
            Value(0),
            output_field=money,
        ),
        policy_count=Coalesce(Subquery(_count(policies, "promotion__chain")), 0),
    )


def _count(queryset, group):
    return queryset.values(group).annotate(n=Count("pk")).values("n")


def promotion_overview(user):
    """Every chain the user may see with its "六个一" (leader, team, 链主) and figures, in the city's order."""
    chains = (
        IndustryChain.objects.visible_to(user)
        .select_related("cluster__owner", "promotion__team", "promotion__leader", "promotion__chain_leader__company")
        .order_by("cluster__owner_id", "cluster__sort_order", "cluster_id", "sort_order", "id")
    )
    return promotion_figures(user, chains)


def figure_urls(chain_id):
    """The lists behind a chain's "六个一" figures."""
    projects = reverse("projects:project_list")
    return {
        "leads": f"{reverse('leads:lead_list')}?chain={chain_id}",
        "projects": f"{projects}?chain={chain_id}",
        "signed_investment": f"{projects}?chain={chain_id}&reached=signed&first_signing=true",
        "map": reverse("chains:chain_detail", args=[chain_id]) + "#chain-map",
        "policies": reverse("chains:chain_detail", args=[chain_id]) + "#chain-promotion",
    }


def policy_documents(chain):
    """The chain's policy package, newest first, with each document's files."""
    return (
        PolicyDocument.objects.filter(promotion__chain=chain)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("-issued_on", "-id")
    )
