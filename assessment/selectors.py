"""Scores and ranks of a scheme for a period, counted from the records; and the published (locked) results.

`live_scores(scheme, start, end)` takes one aggregate query per indicator (targets.selectors.unit_counts counts
exactly what a target counts, a unit's figure covering its subtree) plus one for the targets and one for the
units, whatever the number of units. A unit's target for an indicator over the period is the sum of its targets
for that indicator overlapping the period, each prorated by the days it overlaps (a yearly target read for a
month counts a twelfth or so; the routine monthly targets read for a quarter add up).

`results(scheme, start, end)` gives the locked scores when the office has locked the period, each unit's item
compared with what the records give today: a difference is a change after lock, shown, never applied.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from organizations.models import Unit
from targets.choices import Indicator
from targets.models import Target
from targets.selectors import unit_counts
from targets.tables import records_url

from .choices import SUBJECT_KINDS, Rule, Subjects
from .models import PeriodLock

ZERO = Decimal(0)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass
class ItemScore:
    indicator: str
    weight: Decimal
    rule: str
    reached: Decimal
    target: Decimal | None
    share: Decimal | None  # reached / target, in percent (one decimal)
    points: Decimal
    rank: int | None = None  # the unit's rank on this indicator (rank rule)
    url: str | None = None  # the records behind `reached`
    live_reached: Decimal | None = None  # locked results: what the records give today, when it differs

    @property
    def label(self):
        return Indicator(self.indicator).label

    @property
    def changed_after_lock(self):
        return self.live_reached is not None

    def as_json(self):
        return {
            "indicator": self.indicator,
            "weight": str(self.weight),
            "rule": self.rule,
            "reached": str(self.reached),
            "target": None if self.target is None else str(self.target),
            "share": None if self.share is None else str(self.share),
            "points": str(self.points),
            "rank": self.rank,
        }


@dataclass
class UnitScore:
    unit: Unit
    total: Decimal
    rank: int
    items: list[ItemScore] = field(default_factory=list)
    live_total: Decimal | None = None  # locked results: what the records give today
    live_rank: int | None = None

    @property
    def changed_after_lock(self):
        return any(item.changed_after_lock for item in self.items)


@dataclass
class Results:
    scheme: object
    start: object
    end: object
    scores: list[UnitScore]
    lock: PeriodLock | None = None

    @property
    def changed_after_lock(self):
        return self.lock is not None and any(s.changed_after_lock for s in self.scores)


def subjects_of(scheme):
    """The units a scheme ranks: the city's active teams, or its active counties and zones."""
    kinds = SUBJECT_KINDS[Subjects(scheme.subjects)]
    return list(
        Unit.objects.filter(path__startswith=scheme.owner.path, kind__in=kinds, active=True).order_by(
            "sort_order", "id"
        )
    )


def _overlap_days(a_start, a_end, b_start, b_end):
    return max((min(a_end, b_end) - max(a_start, b_start)).days + 1, 0)


def unit_targets(units, indicators, start, end):
    """{(unit_id, indicator): target over [start, end]}: the overlapping targets, prorated by days; one query."""
    out = {}
    rows = Target.objects.filter(unit__in=units, indicator__in=indicators, start__lte=end, end__gte=start).values_list(
        "unit_id", "indicator", "start", "end", "value"
    )
    for unit_id, indicator, t_start, t_end, value in rows:
        days = (t_end - t_start).days + 1
        part = value * _overlap_days(t_start, t_end, start, end) / days
        out[(unit_id, indicator)] = out.get((unit_id, indicator), ZERO) + part
    return {key: value.quantize(CENT, rounding=ROUND_HALF_UP) for key, value in out.items()}


def competition_ranks(values):
    """{key: rank} by value, highest first; equal values share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
    ranks, previous, rank = {}, None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def _points(item, reached, target, rank, n):
    weight = item.weight
    if item.rule == Rule.RANK:
        if reached <= 0 or not n:
            return ZERO.quantize(CENT)
        return (weight * (n - rank + 1) / n).quantize(CENT, rounding=ROUND_HALF_UP)
    if not target:
        return ZERO.quantize(CENT)
    ratio = min(reached / target, item.cap / 100)
    return (weight * ratio).quantize(CENT, rounding=ROUND_HALF_UP)


def live_scores(scheme, start=None, end=None, units=None):
    """Every subject unit's score and rank for the period, from the records as they are now."""
    start, end = start or scheme.start, end or scheme.end
    units = subjects_of(scheme) if units is None else units
    items = list(scheme.items.all())
    targets = unit_targets(units, [i.indicator for i in items], start, end)
    reached = {i.indicator: unit_counts(i.indicator, start, end, units, scheme.owner_id) for i in items}
    item_ranks = {i.indicator: competition_ranks(reached[i.indicator]) for i in items}
    n = len(units)
    scores = []
    for unit in units:
        lines, total = [], ZERO
        for item in items:
            value = reached[item.indicator].get(unit.pk, ZERO)
            target = targets.get((unit.pk, item.indicator))
            share = (value * 100 / target).quantize(TENTH, rounding=ROUND_HALF_UP) if target else None
            rank = item_ranks[item.indicator].get(unit.pk)
            points = _points(item, value, target, rank, n)
            total += points
            lines.append(
                ItemScore(
                    indicator=item.indicator,
                    weight=item.weight,
                    rule=item.rule,
                    reached=value,
                    target=target,
                    share=share,
                    points=points,
                    rank=rank if item.rule == Rule.RANK else None,
                    url=records_url(unit, item.indicator, start, end),
                )
            )
        scores.append(UnitScore(unit=unit, total=total.quantize(CENT), rank=0, items=lines))
    ranks = competition_ranks({s.unit.pk: s.total for s in scores})
    for s in scores:
        s.rank = ranks[s.unit.pk]
    return sorted(scores, key=lambda s: (s.rank, s.unit.sort_order, s.unit.pk))


def find_lock(scheme, start, end):
    return PeriodLock.objects.filter(scheme=scheme, start=start, end=end).select_related("locked_by").first()


def _locked(lock):
    for row in lock.scores.select_related("unit"):
        items = [
            ItemScore(
                indicator=line["indicator"],
                weight=Decimal(line["weight"]),
                rule=line["rule"],
                reached=Decimal(line["reached"]),
                target=None if line["target"] is None else Decimal(line["target"]),
                share=None if line["share"] is None else Decimal(line["share"]),
                points=Decimal(line["points"]),
                rank=line.get("rank"),
                url=records_url(row.unit, line["indicator"], lock.start, lock.end),
            )
            for line in row.breakdown
        ]
        yield UnitScore(unit=row.unit, total=row.total, rank=row.rank, items=items)


def results(scheme, start=None, end=None):
    """The period's results: locked ones with the changes since the lock marked, else the live ones."""
    start, end = start or scheme.start, end or scheme.end
    lock = find_lock(scheme, start, end)
    if lock is None:
        return Results(scheme, start, end, live_scores(scheme, start, end))
    published = list(_locked(lock))
    live = {s.unit.pk: s for s in live_scores(scheme, start, end, units=[s.unit for s in published])}
    for score in published:
        now = live.get(score.unit.pk)
        if now is None:
            continue
        score.live_total, score.live_rank = now.total, now.rank
        now_items = {i.indicator: i for i in now.items}
        for item in score.items:
            current = now_items.get(item.indicator)
            if current is not None and current.reached != item.reached:
                # A change after lock: the published figure stays, the records' figure today is shown beside it.
                item.live_reached = current.reached
    return Results(scheme, start, end, published, lock)
