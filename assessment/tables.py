"""What the assessment pages show: the schemes' table, and a period's results as rows of display text (page, Excel
and JSON read the same `Results` from assessment.selectors; nothing is counted here).

Counts are shown as whole numbers, amounts (万元 inside) in 亿元 with two decimals, shares like 96% / 71.7%,
points with two decimals.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import holds_over
from organizations.choices import Role
from targets.choices import AMOUNT_INDICATORS, Indicator
from targets.tables import number

from .choices import Rule
from .models import Scheme
from .periods import period_key

CHINA_TZ = ZoneInfo("Asia/Shanghai")
YI = Decimal(10000)
CENT = Decimal("0.01")
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


def item_label(indicator):
    """The indicator's name as the results show it (amounts in 亿元)."""
    if indicator == Indicator.SIGNED_INVESTMENT:
        return _("签约投资额（亿元）")
    if indicator == Indicator.FUNDS_ARRIVED:
        return _("到位资金（亿元）")
    return str(Indicator(indicator).label)


def figure(indicator, value):
    """A reached figure or a target: a count, or an amount in 万元 shown in 亿元 with two decimals."""
    if value is None:
        return "—"
    if indicator in AMOUNT_INDICATORS:
        return f"{(Decimal(value) / YI).quantize(CENT, rounding=ROUND_HALF_UP):,}"
    return number(value)


def percent(value):
    return "—" if value is None else f"{number(value)}%"


def points(value):
    return "—" if value is None else f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)}"


def china_time(value):
    return timezone.localtime(value, CHINA_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def weights_text(scheme):
    return "、".join(f"{Indicator(i.indicator).label} {number(i.weight)}" for i in scheme.items.all())


class SchemeTable(tables.Table):
    """The schemes the user may see; each links to its results. The view prefetches items and locks."""

    name = tables.Column(verbose_name=gettext_lazy("方案名称"))
    subjects = tables.Column(verbose_name=gettext_lazy("考核对象"))
    period = tables.Column(verbose_name=gettext_lazy("期间"), empty_values=(), order_by=("start", "end"))
    weights = tables.Column(verbose_name=gettext_lazy("指标与权重"), empty_values=(), orderable=False)
    locks = tables.Column(verbose_name=gettext_lazy("已锁定期间"), empty_values=(), orderable=False)
    owner = tables.Column(verbose_name=gettext_lazy("所属城市"), accessor="owner__name")
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = Scheme
        fields = ("name", "subjects", "period", "weights", "locks", "owner", "actions")
        attrs = {**TABLE_ATTRS, "data-testid": "scheme-table"}
        empty_text = gettext_lazy("还没有考核方案。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def render_name(self, value, record):
        return format_html(
            '<a href="{}" data-testid="scheme-link">{}</a>', reverse("assessment:results", args=[record.pk]), value
        )

    def render_subjects(self, value, record):
        return record.get_subjects_display()

    def render_period(self, record):
        return f"{record.start:%Y-%m-%d} — {record.end:%Y-%m-%d}"

    def render_weights(self, record):
        return weights_text(record) or "—"

    def render_locks(self, record):
        locks = sorted(record.locks.all(), key=lambda lock: lock.start)
        if not locks:
            return "—"
        return format_html_join(
            " ",
            '<a class="badge text-bg-secondary" href="{}?{}">{}</a>',
            (
                (reverse("assessment:results", args=[record.pk]), _query(record, lock), _period_text(record, lock))
                for lock in locks
            ),
        )

    def render_actions(self, record):
        if not holds_over(self.user, record.owner, Role.OFFICE_STAFF):
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a> '
            '<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>',
            reverse("assessment:scheme_edit", args=[record.pk]),
            _("修改"),
            reverse("assessment:scheme_delete", args=[record.pk]),
            _("删除"),
        )


def _query(scheme, lock):
    key = period_key(scheme, lock.start, lock.end)
    return f"month={key}" if key else f"start={lock.start:%Y-%m-%d}&end={lock.end:%Y-%m-%d}"


def _period_text(scheme, lock):
    key = period_key(scheme, lock.start, lock.end)
    if key == "all":
        return _("全期")
    if key:
        return _("%(y)d年%(m)d月") % {"y": lock.start.year, "m": lock.start.month}
    return f"{lock.start:%Y-%m-%d}—{lock.end:%Y-%m-%d}"


def period_label(scheme, start, end):
    key = period_key(scheme, start, end)
    if key == "all":
        return _("全期（%(s)s 至 %(e)s）") % {"s": start, "e": end}
    if key:
        return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month}
    return _("%(s)s 至 %(e)s") % {"s": start, "e": end}


# --- A period's results, as displayed ---------------------------------------------------------------------


@dataclass
class ItemRow:
    """One unit's line for one indicator, as text."""

    item: object  # selectors.ItemScore

    @property
    def indicator(self):
        return self.item.indicator

    @property
    def label(self):
        return item_label(self.item.indicator)

    @property
    def rule_label(self):
        return Rule(self.item.rule).label

    @property
    def is_rank(self):
        return self.item.rule == Rule.RANK

    @property
    def reached(self):
        return figure(self.item.indicator, self.item.reached)

    @property
    def target(self):
        return figure(self.item.indicator, self.item.target)

    @property
    def share(self):
        return percent(self.item.share)

    @property
    def points(self):
        return points(self.item.points)

    @property
    def weight(self):
        return number(self.item.weight)

    @property
    def url(self):
        return self.item.url

    @property
    def changed(self):
        return self.item.changed_after_lock

    @property
    def live_reached(self):
        return figure(self.item.indicator, self.item.live_reached)


@dataclass
class ScoreRow:
    score: object  # selectors.UnitScore
    items: list

    @property
    def unit(self):
        return self.score.unit

    @property
    def total(self):
        return points(self.score.total)

    @property
    def live_total(self):
        return points(self.score.live_total)

    @property
    def changed(self):
        return self.score.changed_after_lock

    @property
    def moved(self):
        """The records today give another total or rank than the published one."""
        s = self.score
        return s.live_total is not None and (s.live_total != s.total or s.live_rank != s.rank)


def score_rows(results):
    return [ScoreRow(score, [ItemRow(item) for item in score.items]) for score in results.scores]


def lock_json(lock):
    if lock is None:
        return None
    return {
        "id": lock.pk,
        "start": lock.start.isoformat(),
        "end": lock.end.isoformat(),
        "locked_by": lock.locked_by.name or lock.locked_by.username,
        "locked_at": lock.locked_at.isoformat(),
        "note": lock.note,
    }


def _dec(value):
    return None if value is None else str(value)


def results_json(results, items):
    """A period's results for the API: ranks, totals, each item's figures and records link, lock and changes."""
    scheme = results.scheme
    return {
        "scheme": {"id": scheme.pk, "name": scheme.name, "subjects": scheme.subjects},
        "start": results.start.isoformat(),
        "end": results.end.isoformat(),
        "period": period_key(scheme, results.start, results.end),
        "locked": results.lock is not None,
        "lock": lock_json(results.lock),
        "changed_after_lock": results.changed_after_lock,
        "items": [
            {
                "indicator": i.indicator,
                "label": str(Indicator(i.indicator).label),
                "weight": _dec(i.weight),
                "rule": i.rule,
                "cap": _dec(i.cap),
            }
            for i in items
        ],
        "ranks": [
            {
                "unit": s.unit.pk,
                "unit_name": s.unit.name,
                "rank": s.rank,
                "total": _dec(s.total),
                "live_rank": s.live_rank,
                "live_total": _dec(s.live_total),
                "changed_after_lock": s.changed_after_lock,
                "items": [
                    {
                        "indicator": i.indicator,
                        "label": str(i.label),
                        "weight": _dec(i.weight),
                        "rule": i.rule,
                        "reached": _dec(i.reached),
                        "target": _dec(i.target),
                        "share": _dec(i.share),
                        "points": _dec(i.points),
                        "rank": i.rank,
                        "url": i.url,
                        "changed_after_lock": i.changed_after_lock,
                        "live_reached": _dec(i.live_reached),
                    }
                    for i in s.items
                ],
            }
            for s in results.scores
        ],
    }
