"""The city's industrial clusters and chains ("415", seeds 000 and 001), each split into segments.

This is the taxonomy the ledgers, leads and projects point to; the chain map and the gap
view are built on it later. A cluster belongs to a city (its owner unit); everyone working
in that city reads it, its office edits it.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import LeaderKind, SegmentPosition


class ClusterQuerySet(ScopedQuerySet):
    owner_field = "owner"

    def visibility_q(self, scope):
        return scope.within_q(self.owner_field)

    def editability_q(self, scope):
        return scope.subtree_q(f"{self.owner_field}__path", Role.OFFICE_STAFF)


class ChainQuerySet(ClusterQuerySet):
    owner_field = "cluster__owner"


class SegmentQuerySet(ClusterQuerySet):
    owner_field = "chain__cluster__owner"


class IndustryCluster(TimeStampedModel):
    """One of a city's industrial clusters (运城 "415": ten clusters)."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(_("集群名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = ClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="cluster_unique_name")]

    def __str__(self):
        return self.name


class IndustryChain(TimeStampedModel):
    """An industry chain within a cluster, with its upstream, midstream and downstream segments."""

    cluster = models.ForeignKey(
        IndustryCluster, verbose_name=_("产业集群"), on_delete=models.PROTECT, related_name="chains"
    )
    name = models.CharField(_("产业链名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    leader_companies = models.ManyToManyField(
        "enterprises.Company", through="ChainLeader", verbose_name=_("链主/链核企业"), related_name="led_chains"
    )

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["cluster__sort_order", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["cluster", "name"], name="chain_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("chains:chain_detail", args=[self.pk])


class ChainSegment(TimeStampedModel):
    """A link of a chain (e.g. 铜精深加工: 铜矿采选 → 电解铜 → 铜箔、铜板带 → 电子电器)."""

    chain = models.ForeignKey(
        IndustryChain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="segments"
    )
    position = models.CharField(_("环节位置"), max_length=16, choices=SegmentPosition.choices)
    name = models.CharField(_("环节名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain_id", "position", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="segment_unique_name")]

    def __str__(self):
        return f"{self.chain.name} · {self.get_position_display()} · {self.name}"


class ChainLeader(TimeStampedModel):
    """A company that leads a chain (链主) or is one of its core enterprises (链核)."""

    chain = models.ForeignKey(IndustryChain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="leaders")
    company = models.ForeignKey(
        "enterprises.Company", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="chain_roles"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=LeaderKind.choices, default=LeaderKind.CHAIN_LEADER)

    class Meta:
        verbose_name = _("链主/链核企业")
        verbose_name_plural = _("链主/链核企业")
        constraints = [models.UniqueConstraint(fields=["chain", "company"], name="chain_leader_unique")]

    def __str__(self):
        return f"{self.chain} · {self.company} · {self.get_kind_display()}"
