"""The outreach ledgers: visits, inspections, promotion events, outbound trips and stationing.

Each record belongs to the unit that did the work (a stationed team, a squad, a county or
zone). A team writes its own and reads its own; the office and leaders read everything
under them; a county also reads the inspections it hosted (domain.md §7).
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import ScopedQuerySet
from organizations.choices import Role

from .choices import VisitWay

WRITER_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)


class OutreachQuerySet(ScopedQuerySet):
    """Read: the unit's subtree (office and leaders at the city see every team). Write: the unit's own people."""

    def visibility_q(self, scope):
        return scope.subtree_q("unit__path")

    def editability_q(self, scope):
        return scope.subtree_q("unit__path", *WRITER_ROLES)


class InspectionQuerySet(OutreachQuerySet):
    def visibility_q(self, scope):
        # A county or zone also reads the inspections it hosted, whoever invited the company.
        hosted = Inspection.host_units.through.objects.filter(scope.subtree_q("unit__path")).values("inspection_id")
        return super().visibility_q(scope) | Q(pk__in=hosted)


class OutreachRecord(TimeStampedModel):
    # No index of its own: every ledger's (unit, date …) index starts with it, and one index
    # fewer to maintain is what a 10⁵-row import feels.
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    remarks = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attachments = GenericRelation("core.Attachment")

    objects = OutreachQuerySet.as_manager()

    class Meta:
        abstract = True


class Visit(OutreachRecord):
    """A visit by a team to a company, university or chamber (走访), one row of 《走访企业台账》."""

    visit_date = models.DateField(_("走访日期"))
    visitors = models.ManyToManyField(
        "organizations.User", verbose_name=_("走访人员"), blank=True, related_name="visits"
    )
    # As written in the ledger: people from other units or not yet in the system appear only here.
    visitor_names = models.CharField(_("走访人员（姓名）"), max_length=200, blank=True)
    company = models.ForeignKey(
        "enterprises.Company", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="visits", db_index=False
    )
    chain = models.ForeignKey(
        "chains.IndustryChain",
        verbose_name=_("所属产业链"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    contact = models.ForeignKey(
        "enterprises.Contact",
        verbose_name=_("对接人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    contact_name = models.CharField(_("对接人"), max_length=50, blank=True)
    contact_title = models.CharField(_("对接人职务"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    way = models.CharField(_("走访方式"), max_length=16, choices=VisitWay.choices, default=VisitWay.KNOCKING)
    content = models.TextField(_("对接内容"))
    intention = models.TextField(_("投资意向"), blank=True)
    next_step = models.TextField(_("下步计划"), blank=True)
    # Same unit, day, company and content: the same visit, whether typed twice or imported again.
    dedupe_key = models.CharField(max_length=40, editable=False)
    KEY_FIELDS = ("visit_date", "content")

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visit_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "dedupe_key"], name="visit_unique_key")]
        indexes = [
            models.Index(fields=["unit", "-visit_date", "-id"], name="visit_unit_date_idx"),
            models.Index(fields=["-visit_date", "-id"], name="visit_date_idx"),
            models.Index(fields=["company", "-visit_date"], name="visit_company_idx"),
        ]

    def __str__(self):
        return f"{self.visit_date:%Y-%m-%d} {self.company}"

    def get_absolute_url(self):
        return reverse("outreach:visit_detail", args=[self.pk])


class Inspection(OutreachRecord):
    """An invited company comes to inspect (考察), one row of 《邀请企业来运考察台账》; `unit` is the inviting unit."""

    inspection_date = models.DateField(_("考察日期"))
    company = models.ForeignKey(
        "enterprises.Company",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="inspections",
        db_index=False,
    )
    delegation = models.TextField(_("考察人员及职务"), blank=True)
    host_units = models.ManyToManyField(
        "organizations.Unit", verbose_name=_("考察县区/开发区"), blank=True, related_name="hosted_inspections"
    )
    places = models.TextField(_("考察地点"), blank=True)
    accompanying_leader = models.CharField(_("陪同领导"), max_length=200, blank=True)
    result = models.TextField(_("考察成果"), blank=True)
    next_step = models.TextField(_("下步计划"), blank=True)
    dedupe_key = models.CharField(max_length=40, editable=False)
    KEY_FIELDS = ("inspection_date",)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("考察")
        verbose_name_plural = _("考察")
        ordering = ["-inspection_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "dedupe_key"], name="inspection_unique_key")]
        indexes = [
            models.Index(fields=["unit", "-inspection_date", "-id"], name="inspection_unit_date_idx"),
            models.Index(fields=["-inspection_date", "-id"], name="inspection_date_idx"),
            models.Index(fields=["company", "-inspection_date"], name="inspection_company_idx"),
        ]

    def __str__(self):
        return f"{self.inspection_date:%Y-%m-%d} {self.company}"

    def get_absolute_url(self):
        return reverse("outreach:inspection_detail", args=[self.pk])


class PromotionEvent(OutreachRecord):
    """A promotion event (推介会), e.g. 山阴 in 重庆: 7 projects signed, 23.5亿 (seed 003); `unit` organises it."""

    title = models.CharField(_("名称"), max_length=200)
    event_date = models.DateField(_("举办日期"))
    place = models.CharField(_("举办地点"), max_length=200)
    co_organisers = models.CharField(_("合办单位"), max_length=200, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    attendee_count = models.PositiveIntegerField(_("参会人数"), null=True, blank=True)
    companies = models.ManyToManyField(
        "enterprises.Company", verbose_name=_("参会企业"), blank=True, related_name="promotion_events"
    )
    projects_signed = models.PositiveIntegerField(_("现场签约项目数"), default=0)
    signed_amount = models.DecimalField(
        _("签约金额（万元）"), max_digits=14, decimal_places=4, default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("推介会")
        verbose_name_plural = _("推介会")
        ordering = ["-event_date", "-id"]
        indexes = [models.Index(fields=["unit", "-event_date"], name="event_unit_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outreach:event_detail", args=[self.pk])


class OutboundTrip(OutreachRecord):
    """An outbound promotion trip (外出招商), e.g. 古县: 4 trips, 5 projects connected (seed 001)."""

    leader = models.ForeignKey(
        "organizations.User",
        verbose_name=_("带队领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_trips",
    )
    leader_name = models.CharField(_("带队领导（姓名职务）"), max_length=100, blank=True)
    members = models.ManyToManyField("organizations.User", verbose_name=_("成员"), blank=True, related_name="trips")
    start_date = models.DateField(_("出发日期"))
    end_date = models.DateField(_("返回日期"))
    destinations = models.CharField(_("目的地"), max_length=200)
    companies = models.ManyToManyField(
        "enterprises.Company", verbose_name=_("对接企业"), blank=True, related_name="outbound_trips"
    )
    purpose = models.TextField(_("任务"), blank=True)
    result = models.TextField(_("成果"), blank=True)
    projects_connected = models.PositiveIntegerField(_("对接项目数"), default=0)

    class Meta:
        verbose_name = _("外出招商")
        verbose_name_plural = _("外出招商")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="trip_dates_in_order"),
        ]
        indexes = [models.Index(fields=["unit", "-start_date"], name="trip_unit_date_idx")]

    def __str__(self):
        return f"{self.destinations} {self.start_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("outreach:trip_detail", args=[self.pk])

    @property
    def days(self):
        return (self.end_date - self.start_date).days + 1


class Stationing(OutreachRecord):
    """Days a person is stationed away (驻点); team leaders must reach ≥ 30 days a year (seed 000)."""

    person = models.ForeignKey(
        "organizations.User", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="stationings"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    place = models.CharField(_("驻点地"), max_length=100)
    days = models.PositiveIntegerField(_("天数"), editable=False, default=0)

    class Meta:
        verbose_name = _("驻点记录")
        verbose_name_plural = _("驻点记录")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="stationing_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["person", "start_date"], name="stationing_person_idx"),
            models.Index(fields=["unit", "-start_date"], name="stationing_unit_date_idx"),
        ]

    def __str__(self):
        return f"{self.person} {self.place} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("outreach:stationing_detail", args=[self.pk])
