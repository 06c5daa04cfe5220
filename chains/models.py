"""The city's industrial clusters and chains ("415", seeds 000 and 001), each split into segments.

This is the taxonomy the ledgers, leads and projects point to; the chain map and the gap
list are read from it (chains.selectors). A cluster belongs to a city (its owner unit);
everyone working in that city reads it, its office edits it. So do a chain's "六个一"
(ChainPromotion) and its policy package (PolicyDocument).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
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


class PromotionQuerySet(ClusterQuerySet):
    owner_field = "chain__cluster__owner"


class PolicyDocumentQuerySet(ClusterQuerySet):
    owner_field = "promotion__chain__cluster__owner"


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


class ChainPromotion(TimeStampedModel):
    """A chain's "六个一" (seed 001, 运城经开区): one chain, one county-level leader (链长), one promotion team,
    one chain-leader enterprise, one map, one policy package.

    One row per chain, made the first time the office fills it in. The map is the chain's
    own page; the figures (leads, projects, investment) are counted from the records, never typed.
    """

    chain = models.OneToOneField(
        IndustryChain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="promotion"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("链长（系统用户）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader_name = models.CharField(_("链长姓名"), max_length=50, blank=True)
    leader_title = models.CharField(_("链长职务"), max_length=100, blank=True)
    team = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("招商专班"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chain_leader = models.ForeignKey(
        ChainLeader,
        verbose_name=_("链主企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PromotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("“六个一”推进机制")
        verbose_name_plural = _("“六个一”推进机制")

    def __str__(self):
        return f"{self.chain} · “六个一”"

    @property
    def leader_label(self):
        """链长 as the seeds write it: name and title ("张三（副县长）")."""
        if not self.leader_name:
            return ""
        return f"{self.leader_name}（{self.leader_title}）" if self.leader_title else self.leader_name


class PolicyDocument(TimeStampedModel):
    """One document of a chain's policy package (一套支持政策): a title and its file (attached)."""

    promotion = models.ForeignKey(
        ChainPromotion, verbose_name=_("“六个一”推进机制"), on_delete=models.CASCADE, related_name="policies"
    )
    title = models.CharField(_("政策文件名称"), max_length=200)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    attachments = GenericRelation("core.Attachment")

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("支持政策文件")
        verbose_name_plural = _("支持政策文件")
        ordering = ["promotion_id", "-issued_on", "id"]

    def __str__(self):
        return self.title
