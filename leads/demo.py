"""Demo leads: the seven city teams' leads of 2022, through the office's assessment to the four pools.

Seed 000 reports that by early November 2022 the stationed teams had visited 781
companies, collected 579 leads, connected 112 projects and signed 22. The demo has exactly
that funnel: 579 counted leads from the seven teams (most found on a demo visit, the rest
at promotion events, on counties' outbound trips, through chambers, investment
ambassadors, intermediaries or the enterprise's own approach); the office assessed most
and pushed them to the counties and zones; 112 reached 在谈库 or beyond and 22 of those
签约库 or 落地库. Some were rejected with a reason, some sent back by a county and pushed
elsewhere, some lost; a few await assessment past their deadline. Three conflicts show
two units courting one investor; in one the office found the second unit's lead to be the
first one's (duplicate_of), so it is recorded but never counted: 580 rows, 579 counted.

Deterministic (one seeded random generator) and idempotent: a second run adds nothing.
Rows are bulk-inserted with their historical dates; one audit record describes the load.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import audit
from core.bulk import insert_rows
from core.models import AuditAction
from core.workdays import add_working_days
from enterprises.choices import CompanyKind
from enterprises.models import Company, Contact
from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit
from outreach.demo import CHAMBERS, LAST_DAY, YEAR, load_outreach_demo
from outreach.models import Inspection, OutboundTrip, PromotionEvent, Visit

from .choices import ConflictStatus, LeadEventKind, LeadSource, LeadStatus
from .keys import investor_key, lead_key
from .ledgers import first_open_pool, grade_codes, lead_settings
from .models import FollowUp, Lead, LeadConflict, LeadEvent, LeadPool

DEMO_SEED = 579
# Seed 000's funnel: visited 781 : leads 579 : connected 112 : signed 22.
LEADS = 579
CONNECTED = 112
SIGNED = 16  # 签约库
LANDED = 6  # 落地库; with 签约库 the 22 signed
NEGOTIATING = CONNECTED - SIGNED - LANDED
CLOSED = 18  # followed, then lost
REJECTED = 34  # assessed and not pushed
REPORTED_RECENT = 8  # awaiting assessment, collected in the last days
REPORTED_OVERDUE = 4  # awaiting assessment past the 3-working-day deadline
DISPATCHED = 20  # pushed, not yet accepted
RETURNED = 5  # sent back, awaiting reassessment
REASSIGNED = 14  # sent back once, then pushed elsewhere and accepted
# Leads per team, roughly as the teams' visits (shares sum to 579).
TEAM_SHARES = {
    "YC-T-BJ": 88,
    "YC-T-SH": 85,
    "YC-T-HZ": 87,
    "YC-T-CD": 79,
    "YC-T-SZ": 83,
    "YC-T-NJ": 79,
    "YC-T-GZ": 78,
}
SOURCES = [
    (LeadSource.VISIT, 70),
    (LeadSource.EVENT, 8),
    (LeadSource.TRIP, 5),
    (LeadSource.CHAMBER, 7),
    (LeadSource.AMBASSADOR, 4),
    (LeadSource.INTERMEDIARY, 3),
    (LeadSource.SELF_APPROACH, 2),
    (LeadSource.OTHER, 1),
]
AMBASSADORS = ["王建国", "李志强", "张海涛", "陈立新", "刘志远", "杨文斌"]
INTERMEDIARIES = ["华信产业咨询公司推荐", "中投招商顾问公司推荐", "北方产业园区运营公司推荐", "德勤产业研究院推荐"]
OTHER_NOTES = ["行业展会上获取的投资信息", "网络公开信息", "老乡企业家提供的信息"]
PROJECT_KINDS = ["生产基地", "扩产", "研发中心", "智能制造产业园", "生产线", "循环经济产业园", "区域总部", "配套园区"]
SCALES = ["", "", "", "一期", "新建", "扩建"]
DETAILS = [
    "主要建设生产厂房、仓储物流及配套设施",
    "拟租赁标准化厂房先行投产，后续购地扩建",
    "计划分两期建设，一期用地约100亩",
    "达产后预计年产值5亿元、新增就业300人",
    "配套建设研发中心和中试基地",
]
OPINIONS = "{grade}类线索，符合{chain}发展方向，投资方实力较强，建议推送{unit}对接落实。"
REJECT_REASONS = [
    "项目属高耗能、高排放行业，不符合我市产业政策，不予推送。",
    "投资方实力不足，项目可信度低，暂不推送，请继续核实。",
    "项目内容不具体，尚无明确投资计划，暂不具备推送条件。",
    "属经开区负面清单限制类产业，且无其他县区具备承接条件。",
    "投资额过小，建议由报送组继续培育后再行报送。",
]
RETURN_REASONS = [
    "本县缺少匹配的工业用地指标，建议改推运城经开区。",
    "项目产业方向与本县主导产业不符，无法承接。",
    "当地环境容量不足，无法满足项目环评要求。",
    "项目用电负荷较大，本区现有电网条件无法满足。",
]
CLOSE_REASONS = [
    "企业投资计划调整，项目暂停。",
    "企业已选择在外省落地。",
    "多轮洽谈后土地、电价等要素条件未达成一致。",
    "企业经营困难，投资意向取消。",
]
FOLLOW_NOTES = {
    "collected": ["已与企业负责人电话沟通，寄送招商资料和政策汇编。", "企业正在内部论证，约定下月再次对接。"],
    "negotiating": [
        "县区主要领导带队赴企业总部洽谈，双方就用地、用电等要素保障深入交流。",
        "企业技术团队来运实地考察选址，初步确定意向地块。",
        "项目投资协议文本已基本商定，待企业董事会审议。",
    ],
    "signed": ["双方签订投资协议，进入项目前期手续办理阶段。", "召开项目推进专题会，协调解决环评、能评前期手续。"],
    "landed": ["项目已开工建设，主体厂房基础施工中。", "项目首条生产线试产，企业在运注册公司完成。"],
}


def _day(rng, start=datetime.date(YEAR, 1, 10)):
    # Busier in the 百日大会战 (from September), as the demo visits are.
    span = (LAST_DAY - start).days
    return start + datetime.timedelta(days=int(span * (rng.random() ** 0.7)))


def _at(rng, day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))))


def _later(day, days):
    return min(day + datetime.timedelta(days=days), LAST_DAY)


def _amount(rng, low=500, high=500000):
    """A plausible estimate in 万元, log-uniform, rounded to 100 万元."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(max(low, round(value / 100) * 100))


class _Workdays:
    """add_working_days with the answers kept: the demo asks for the same days many times."""

    def __init__(self):
        self.known = {}

    def add(self, day, n):
        key = (day, n)
        if key not in self.known:
            self.known[key] = add_working_days(day, n)
        return self.known[key]


@transaction.atomic
def load_leads_demo(*, city_code="YC", actor=None):
    """Create the demo year of leads once; return counts of what exists afterwards."""
    load_outreach_demo(city_code=city_code)
    city = Unit.objects.get(code=city_code)
    teams = list(Unit.objects.filter(parent=city, kind=UnitKind.TEAM, code__in=TEAM_SHARES).order_by("sort_order"))
    if Lead.objects.filter(owner=city, reporting_unit__in=teams).exists():
        return _counts(city)
    _Loader(city, teams).run()
    counts = _counts(city)
    audit.record(
        action=AuditAction.IMPORT,
        actor=actor,
        actor_name="系统",
        object_type="leads.lead",
        message="载入演示线索：" + "，".join(f"{k} {v}" for k, v in counts.items()),
    )
    return counts


class _Loader:
    def __init__(self, city, teams):
        self.rng = random.Random(DEMO_SEED)
        self.city = city
        self.teams = teams
        self.days = _Workdays()
        self.settings = lead_settings(city)
        self.grades = grade_codes(self.settings)[:3]
        first_open_pool(city)
        self.pools = dict(LeadPool.objects.filter(owner=city).values_list("code", "id"))
        self.hosts = list(
            Unit.objects.filter(parent=city, kind__in=[UnitKind.COUNTY, UnitKind.ZONE], active=True).order_by(
                "sort_order", "id"
            )
        )
        # The zone takes most industrial projects; each county its share.
        self.host_weights = [4 if unit.kind == UnitKind.ZONE else 1 for unit in self.hosts]
        office = (
            Membership.objects.filter(unit=city, role=Role.OFFICE_STAFF, active=True, user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        self.office_id = office
        self.county_people = {}
        for unit_id, user_id in (
            Membership.objects.filter(unit__in=self.hosts, role=Role.COUNTY_STAFF, active=True)
            .order_by("user_id")
            .values_list("unit_id", "user_id")
        ):
            self.county_people.setdefault(unit_id, user_id)
        self.people = {}
        for unit_id, user_id in (
            Membership.objects.filter(unit__in=teams, active=True, user__is_active=True)
            .order_by("user_id")
            .values_list("unit_id", "user_id")
        ):
            self.people.setdefault(unit_id, []).append(user_id)
        from chains.models import IndustryChain

        self.chain_names = {
            pk: name if name.endswith("产业") else f"{name}产业"
            for pk, name in IndustryChain.objects.filter(cluster__owner=city).values_list("id", "name")
        }
        self.events, self.follow_ups, self.conflicts = [], [], []

    # --- Phase 1: where each lead came from ------------------------------------------------

    def run(self):
        specs = self.sources()
        self.categorise(specs)
        self.conflicting(specs)
        rows = [self.lead_row(spec) for spec in specs]
        self.unique_names(rows)
        self.write(specs, rows)

    def sources(self):
        rng, city = self.rng, self.city
        companies = {
            c.pk: c
            for c in Company.objects.filter(owner=city, kind=CompanyKind.COMPANY, merged_into__isnull=True).order_by(
                "id"
            )
        }
        self.companies = companies
        visits = {}
        self.chain_of = {}
        for pk, unit_id, company_id, day, chain_id, contact in (
            Visit.objects.filter(unit__in=self.teams)
            .order_by("visit_date", "id")
            .values_list("id", "unit_id", "company_id", "visit_date", "chain_id", "contact_name")
        ):
            visits.setdefault((unit_id, company_id), []).append((pk, day, chain_id, contact))
            if chain_id:
                self.chain_of.setdefault(company_id, chain_id)
        self.contacts = {}
        for company_id, name in (
            Contact.objects.filter(company_id__in=companies).order_by("id").values_list("company_id", "name")
        ):
            self.contacts.setdefault(company_id, name)
        self.inspections = {}
        for company_id, pk, day in Inspection.objects.filter(unit__in=self.teams).values_list(
            "company_id", "id", "inspection_date"
        ):
            self.inspections.setdefault(company_id, []).append((day, pk))
        events = {}
        event_companies = {}
        for pk, company_id in PromotionEvent.companies.through.objects.filter(
            promotionevent__unit__in=self.teams
        ).values_list("promotionevent_id", "company_id"):
            event_companies.setdefault(pk, []).append(company_id)
        for event in PromotionEvent.objects.filter(unit__in=self.teams).order_by("id"):
            events.setdefault(event.unit_id, []).append((event, sorted(event_companies.get(event.pk, []))))
        trips = []
        trip_companies = {}
        for pk, company_id in OutboundTrip.companies.through.objects.filter(
            outboundtrip__unit__parent=city
        ).values_list("outboundtrip_id", "company_id"):
            trip_companies.setdefault(pk, []).append(company_id)
        for trip in OutboundTrip.objects.filter(unit__parent=city).select_related("unit").order_by("id"):
            trips.append((trip, sorted(trip_companies.get(trip.pk, []))))

        specs = []
        for team in self.teams:
            own = [pk for pk, c in companies.items() if c.created_by_unit_id == team.pk]
            rng.shuffle(own)
            own_set, used = set(own), set()

            def take(preferred=(), own=own, own_set=own_set, used=used):
                for pk in preferred:
                    if pk in own_set and pk not in used:
                        used.add(pk)
                        return pk
                while own:
                    pk = own.pop()
                    if pk not in used:
                        used.add(pk)
                        return pk
                # Every company of the team already has a lead: a second project of one of them.
                return rng.choice(sorted(used))

            kinds = rng.choices([s for s, _w in SOURCES], [w for _s, w in SOURCES], k=TEAM_SHARES[team.code])
            for drawn in kinds:
                source = drawn
                spec = {"team": team, "source": source, "visit": None, "event": None, "trip": None, "note": ""}
                if source == LeadSource.TRIP:
                    options = [(trip, pk) for trip, pks in trips for pk in pks if pk in own_set and pk not in used]
                    if options:
                        trip, pk = rng.choice(options)
                        used.add(pk)
                        end = min(trip.end_date, LAST_DAY)
                        spec.update(
                            company=pk,
                            trip=trip,
                            date=trip.start_date
                            + datetime.timedelta(days=rng.randint(0, (end - trip.start_date).days)),
                            note=f"{trip.unit.name}外出招商（{trip.destinations}）",
                        )
                        specs.append(spec)
                        continue
                    source = spec["source"] = LeadSource.VISIT
                if source == LeadSource.EVENT and events.get(team.pk):
                    event, attendees = rng.choice(events[team.pk])
                    spec.update(company=take(attendees), event=event, date=_later(event.event_date, rng.randint(0, 5)))
                    spec["note"] = event.title
                elif source in (LeadSource.VISIT, LeadSource.EVENT):
                    spec["source"] = LeadSource.VISIT
                    pk = take()
                    visit = rng.choice(visits.get((team.pk, pk), [None]))
                    if visit is None:
                        spec.update(company=pk, date=_day(rng))
                    else:
                        spec.update(company=pk, visit=visit, date=_later(visit[1], rng.choice([0, 0, 0, 1, 2, 3])))
                else:
                    spec.update(company=take(), date=_day(rng), note=self.note(team, source))
                specs.append(spec)
        assert len(specs) == LEADS
        return specs

    def note(self, team, source):
        rng = self.rng
        if source == LeadSource.CHAMBER:
            return f"{rng.choice(CHAMBERS[team.code])}推荐"
        if source == LeadSource.AMBASSADOR:
            return f"招商大使{rng.choice(AMBASSADORS)}（运城籍在外企业家）推荐"
        if source == LeadSource.INTERMEDIARY:
            return rng.choice(INTERMEDIARIES)
        if source == LeadSource.SELF_APPROACH:
            return "企业来电咨询投资政策，主动对接"
        return rng.choice(OTHER_NOTES)

    # --- Phase 2: how far each lead got ----------------------------------------------------

    def categorise(self, specs):
        rng = self.rng
        order = sorted(range(len(specs)), key=lambda i: (specs[i]["date"], i))
        remaining = set(order)

        def pick(count, candidates):
            candidates = [i for i in candidates if i in remaining]
            chosen = rng.sample(candidates, count)
            remaining.difference_update(chosen)
            return chosen

        def before(month, day):
            limit = datetime.date(YEAR, month, day)
            return [i for i in order if specs[i]["date"] <= limit]

        latest = list(reversed(order))
        plan = [
            ("reported", pick(REPORTED_RECENT, latest[:REPORTED_RECENT])),
            (
                "reported",
                pick(
                    REPORTED_OVERDUE,
                    [i for i in order if datetime.date(YEAR, 9, 20) <= specs[i]["date"] <= datetime.date(YEAR, 10, 20)],
                ),
            ),
            ("dispatched", pick(DISPATCHED, latest[:70])),
            ("returned", pick(RETURNED, latest[:100])),
            ("landed", pick(LANDED, before(4, 30))),
            ("signed", pick(SIGNED, before(6, 30))),
            ("negotiating", pick(NEGOTIATING, before(9, 15))),
            ("closed", pick(CLOSED, before(8, 31))),
            ("rejected", pick(REJECTED, before(10, 25))),
        ]
        for stage, chosen in plan:
            for i in chosen:
                specs[i]["stage"] = stage
        for i in remaining:
            specs[i]["stage"] = "accepted"
        followed = [i for i in order if specs[i]["stage"] in ("accepted", "negotiating", "signed", "landed")]
        for i in rng.sample([i for i in followed if specs[i]["date"] <= datetime.date(YEAR, 9, 30)], REASSIGNED):
            specs[i]["reassigned"] = True

    # --- Phase 3: the same investor courted twice --------------------------------------------

    def conflicting(self, specs):
        """Three conflicts (seed 003): one found to be the same lead, one settled, one awaiting the office."""
        rng = self.rng

        def of(stage, team=None, exclude_team=None):
            found = [
                s
                for s in specs
                if s["stage"] == stage
                and (team is None or s["team"] == team)
                and (exclude_team is None or s["team"] != exclude_team)
                and "conflict" not in s
            ]
            return sorted(found, key=lambda s: (s["date"], s["company"]))

        # 1. A county's squad reports the project a team already reported: the same lead.
        first = rng.choice([s for s in of("negotiating") if s["date"] <= datetime.date(YEAR, 6, 30)])
        first["conflict"] = "duplicate"
        self.duplicate_of = first
        # 2. Two teams court one investor for different projects: the office names who leads.
        held = rng.choice(of("accepted"))
        other = rng.choice([s for s in of("accepted", exclude_team=held["team"]) if s["date"] > held["date"]])
        self.retarget(other, held)
        held["conflict"] = other["conflict"] = "decided"
        self.decided_pair = (held, other)
        # 3. A lead reported in the last days names an investor another team works: undecided.
        recent = [s for s in specs if s["stage"] == "reported" and s["date"] >= LAST_DAY - datetime.timedelta(days=10)]
        late = max(recent, key=lambda s: (s["date"], s["company"]))
        earlier = rng.choice([s for s in of("accepted", exclude_team=late["team"]) if s["date"] < late["date"]])
        self.retarget(late, earlier)
        late["conflict"] = earlier["conflict"] = "open"
        self.open_pair = (earlier, late)

    @staticmethod
    def retarget(spec, onto):
        """`spec` now names `onto`'s investor, learnt through a chamber rather than a visit of its own."""
        spec.update(company=onto["company"], visit=None, event=None, trip=None, source=LeadSource.CHAMBER)
        spec["note"] = f"{CHAMBERS[spec['team'].code][0]}推荐"

    # --- Phase 4: the leads and their timelines ---------------------------------------------

    def lead_row(self, spec):
        rng = self.rng
        company = self.companies[spec["company"]]
        place = (company.city or "").removesuffix("市")
        brand = company.name.removeprefix(place)[:2]
        industry = company.industry or "新材料"
        kind = rng.choice(PROJECT_KINDS)
        name = f"{brand}{rng.choice(SCALES)}{industry}{kind}项目"
        stage = spec["stage"]
        connected = stage in ("negotiating", "signed", "landed")
        chain_id = (spec["visit"][2] if spec["visit"] else None) or self.chain_of.get(company.pk)
        contact = (spec["visit"][3] if spec["visit"] else "") or self.contacts.get(company.pk, "")
        vague = stage == "rejected" and rng.random() < 0.3
        return {
            "owner_id": self.city.pk,
            "reporting_unit_id": spec["team"].pk,
            "name": name,
            "collected_date": spec["date"],
            "source": spec["source"].value,
            "source_note": spec["note"][:200],
            "visit_id": spec["visit"][0] if spec["visit"] else None,
            "event_id": spec["event"].pk if spec["event"] else None,
            "trip_id": spec["trip"].pk if spec["trip"] else None,
            "investor_id": company.pk,
            "content": (
                "有投资意向，具体内容待了解。"
                if vague
                else f"{company.name}拟在运城投资建设{industry}{kind}，{rng.choice(DETAILS)}。"
            ),
            "estimated_amount": None if vague else _amount(rng, low=3000 if connected else 500),
            "chain_id": chain_id,
            "segment_id": None,
            "proposed_location": "",
            "contact_reached": not vague,
            "contact_name": contact[:100],
            "status": LeadStatus.REPORTED.value,
            "pool_id": self.pools["collected"],
            "grade": "",
            "opinion": "",
            "assessed_by_id": None,
            "assessed_at": None,
            "receiving_unit_id": None,
            "dispatched_at": None,
            "accepted_at": None,
            "closing_reason": "",
            "assess_due": None,
            "feedback_due": None,
            "duplicate_of_id": None,
            "created_by_id": None,
            "dedupe_key": "",
        }

    @staticmethod
    def unique_names(rows):
        seen = set()
        for row in rows:
            key = (row["reporting_unit_id"], row["collected_date"], row["investor_id"], row["name"])
            while key in seen:
                row["name"] = row["name"].removesuffix("项目") + "（二期）项目"
                key = (row["reporting_unit_id"], row["collected_date"], row["investor_id"], row["name"])
            seen.add(key)

    def receiver(self, exclude=None):
        hosts = [(u, w) for u, w in zip(self.hosts, self.host_weights, strict=True) if u != exclude]
        return self.rng.choices([u for u, _w in hosts], [w for _u, w in hosts])[0]

    def event(self, lead, kind, at, *, actor=None, unit=None, before="", after="", note=""):
        self.events.append(
            {
                "lead_key": lead,
                "kind": kind.value,
                "at": at,
                "actor_id": actor,
                "unit_id": unit.pk if unit else None,
                "from_value": before[:100],
                "to_value": after[:100],
                "note": note,
            }
        )

    def follow(self, lead, unit, day, stage):
        rng = self.rng
        inspected = [pk for d, pk in sorted(self.inspections.get(lead["investor_id"], [])) if d <= day]
        note = rng.choice(FOLLOW_NOTES[stage])
        at = _at(rng, day)
        self.follow_ups.append(
            {
                "lead_key": lead,
                "unit_id": unit.pk,
                "author_id": self.county_people.get(unit.pk),
                "follow_date": day,
                "note": note,
                "inspection_id": inspected[-1] if inspected and stage == "negotiating" else None,
                "event_id": None,
                "created_at": at,
                "updated_at": at,
            }
        )
        self.event(lead, LeadEventKind.FOLLOW_UP, at, actor=self.county_people.get(unit.pk), unit=unit, note=note)

    def history(self, spec, row):
        """Walk one lead from its report to its stage, writing its timeline and its fields."""
        rng, days = self.rng, self.days
        team, stage = spec["team"], spec["stage"]
        people = self.people.get(team.pk, [])
        reporter = rng.choice(people) if people else None
        row["created_by_id"] = reporter
        spec["reporters"] = sorted(set(rng.sample(people, min(len(people), rng.choice((1, 2)))))) if people else []
        reported_day = _later(row["collected_date"], rng.choice([0, 0, 1]))
        reported_at = _at(rng, reported_day)
        row["created_at"] = row["updated_at"] = reported_at
        row["assess_due"] = days.add(row["collected_date"], self.settings.assess_working_days)
        row["feedback_due"] = row["collected_date"] + datetime.timedelta(days=self.settings.feedback_days)
        self.event(row, LeadEventKind.REPORTED, reported_at, actor=reporter, unit=team)
        if stage == "reported":
            row["proposed_location"] = rng.choice(["运城经开区", "待定", "", "盐湖区"])
            return
        # Most are assessed within the three working days; a few late.
        assessed_day = min(days.add(reported_day, rng.choice([1, 1, 2, 2, 3, 3, 3, 4, 5])), LAST_DAY)
        assessed_at = max(_at(rng, assessed_day), reported_at)
        row["assessed_by_id"], row["assessed_at"] = self.office_id, assessed_at
        if stage == "rejected":
            reason = rng.choice(REJECT_REASONS)
            row.update(
                status=LeadStatus.REJECTED.value,
                pool_id=self.pools["lost"],
                grade=rng.choice(["", self.grades[-1]]),
                closing_reason=reason,
            )
            self.event(row, LeadEventKind.REJECTED, assessed_at, actor=self.office_id, note=reason)
            self.event(
                row, LeadEventKind.POOL_MOVED, assessed_at, actor=self.office_id, before="线索库", after="已失效"
            )
            return
        connected = stage in ("negotiating", "signed", "landed")
        weights = [60, 35, 5] if connected else [25, 50, 25]
        row["grade"] = rng.choices(self.grades, weights[: len(self.grades)])[0]
        trip_unit = spec["trip"].unit if spec["trip"] and spec["trip"].unit in self.hosts else None
        unit = trip_unit or self.receiver()
        reassigned = stage == "returned" or spec.get("reassigned")
        if reassigned:
            # The office's first choice sends it back; the second takes it.
            final = self.receiver(exclude=unit)
        else:
            final = unit
        chain = self.chain_names.get(row["chain_id"], "我市主导产业")
        row["opinion"] = OPINIONS.format(
            grade=row["grade"], chain=chain, unit=final.name if not reassigned else unit.name
        )
        row["proposed_location"] = final.name
        self.event(
            row, LeadEventKind.ASSESSED, assessed_at, actor=self.office_id, after=row["grade"], note=row["opinion"]
        )
        self.event(row, LeadEventKind.DISPATCHED, assessed_at, actor=self.office_id, unit=unit, after=unit.name)
        dispatched_at = assessed_at
        row.update(status=LeadStatus.DISPATCHED.value, receiving_unit_id=unit.pk, dispatched_at=dispatched_at)
        if reassigned:
            returned_at = max(_at(rng, _later(assessed_day, rng.randint(1, 4))), dispatched_at)
            reason = rng.choice(RETURN_REASONS)
            self.event(
                row, LeadEventKind.RETURNED, returned_at, actor=self.county_people.get(unit.pk), unit=unit, note=reason
            )
            row["status"] = LeadStatus.RETURNED.value
            if stage == "returned":
                return
            again_day = min(days.add(returned_at.date(), rng.randint(1, 3)), LAST_DAY)
            dispatched_at = max(_at(rng, again_day), returned_at)
            self.event(
                row,
                LeadEventKind.DISPATCHED,
                dispatched_at,
                actor=self.office_id,
                unit=final,
                before=unit.name,
                after=final.name,
            )
            row.update(status=LeadStatus.DISPATCHED.value, receiving_unit_id=final.pk, dispatched_at=dispatched_at)
        if stage == "dispatched":
            return
        accepted_at = max(_at(rng, _later(dispatched_at.date(), rng.randint(1, 5))), dispatched_at)
        self.event(row, LeadEventKind.ACCEPTED, accepted_at, actor=self.county_people.get(final.pk), unit=final)
        row.update(status=LeadStatus.ACCEPTED.value, accepted_at=accepted_at)
        day = accepted_at.date()
        if stage == "accepted":
            if rng.random() < 0.1:
                self.follow(row, final, _later(day, rng.randint(5, 40)), "collected")
            return
        if stage == "closed":
            closed_at = max(_at(rng, _later(day, rng.randint(10, 80))), accepted_at)
            reason = rng.choice(CLOSE_REASONS)
            self.event(
                row, LeadEventKind.CLOSED, closed_at, actor=self.county_people.get(final.pk), unit=final, note=reason
            )
            self.event(row, LeadEventKind.POOL_MOVED, closed_at, actor=self.office_id, before="线索库", after="已失效")
            row.update(status=LeadStatus.CLOSED.value, pool_id=self.pools["lost"], closing_reason=reason)
            return
        previous = "线索库"
        for code, name, wait in (
            ("negotiating", "在谈库", (7, 60)),
            ("signed", "签约库", (15, 90)),
            ("landed", "落地库", (20, 100)),
        ):
            day = _later(day, rng.randint(*wait))
            moved_at = max(_at(rng, day), accepted_at)
            self.event(row, LeadEventKind.POOL_MOVED, moved_at, actor=self.office_id, before=previous, after=name)
            row["pool_id"] = self.pools[code]
            if code == "negotiating" or rng.random() < 0.6:
                self.follow(row, final, _later(day, rng.randint(0, 20)), code)
            if code == stage:
                return
            previous = name

    def duplicate_row(self, first, first_row):
        """The squad of the county holding `first` reports the same project a few days later."""
        rng = self.rng
        county = Unit.objects.get(pk=first_row["receiving_unit_id"])
        squad = Unit.objects.filter(parent=county, kind=UnitKind.SQUAD).order_by("id").first() or county
        row = dict(first_row)
        day = _later(first_row["collected_date"], rng.randint(2, 6))
        at = _at(rng, day)
        reason = (
            f"经研判，与{first['team'].name}报送的「{first_row['name']}」为同一项目，"
            f"由{first['team'].name}牵头、{county.name}承接，本条不重复计数。"
        )
        row.update(
            reporting_unit_id=squad.pk,
            collected_date=day,
            source=LeadSource.SELF_APPROACH.value,
            source_note="企业来电咨询投资政策，主动对接",
            visit_id=None,
            event_id=None,
            trip_id=None,
            status=LeadStatus.REJECTED.value,
            pool_id=self.pools["lost"],
            grade="",
            opinion="",
            receiving_unit_id=None,
            dispatched_at=None,
            accepted_at=None,
            closing_reason=reason,
            assessed_by_id=self.office_id,
            assessed_at=at + datetime.timedelta(days=1),
            assess_due=self.days.add(day, self.settings.assess_working_days),
            feedback_due=day + datetime.timedelta(days=self.settings.feedback_days),
            created_by_id=None,
            created_at=at,
            updated_at=at,
            dedupe_key="",
        )
        self.event(row, LeadEventKind.REPORTED, at, unit=squad)
        note = f"{squad.name}报送的线索与{first['team'].name}的「{first_row['name']}」投资方、项目相同"
        for lead in (row, first_row):
            self.event(lead, LeadEventKind.CONFLICT, at, note=note)
            self.event(lead, LeadEventKind.CONFLICT_DECIDED, row["assessed_at"], actor=self.office_id, note=reason)
        self.event(row, LeadEventKind.REJECTED, row["assessed_at"], actor=self.office_id, note=reason)
        self.conflicts.append(
            {
                "lead_key": row,
                "other_key": first_row,
                "company_id": row["investor_id"],
                "status": ConflictStatus.DECIDED.value,
                "leading_unit_id": first["team"].pk,
                "decided_by_id": self.office_id,
                "decided_at": row["assessed_at"],
                "decision": reason,
                "created_at": at,
                "updated_at": row["assessed_at"],
            }
        )
        return row

    def pair_conflict(self, held_row, later_row, held_team, later_team, *, decided):
        rng = self.rng
        at = max(later_row["created_at"], held_row["created_at"])
        note = f"{later_team.name}报送的线索与{held_team.name}正在跟进的线索为同一投资方"
        for lead in (later_row, held_row):
            self.event(lead, LeadEventKind.CONFLICT, at, note=note)
        conflict = {
            "lead_key": later_row,
            "other_key": held_row,
            "company_id": later_row["investor_id"],
            "status": ConflictStatus.OPEN.value,
            "leading_unit_id": None,
            "decided_by_id": None,
            "decided_at": None,
            "decision": "",
            "created_at": at,
            "updated_at": at,
        }
        if decided:
            decided_at = at + datetime.timedelta(days=rng.randint(1, 3))
            decision = f"同一投资方由{held_team.name}统一对接，{later_team.name}配合；两条线索项目内容不同，分别计数。"
            conflict.update(
                status=ConflictStatus.DECIDED.value,
                leading_unit_id=held_team.pk,
                decided_by_id=self.office_id,
                decided_at=decided_at,
                decision=decision,
                updated_at=decided_at,
            )
            for lead in (later_row, held_row):
                self.event(lead, LeadEventKind.CONFLICT_DECIDED, decided_at, actor=self.office_id, note=decision)
        self.conflicts.append(conflict)

    def write(self, specs, rows):
        for spec, row in zip(specs, rows, strict=True):
            self.history(spec, row)
        index = {id(spec): row for spec, row in zip(specs, rows, strict=True)}
        first = self.duplicate_of
        duplicate = self.duplicate_row(first, index[id(first)])
        held, other = self.decided_pair
        self.pair_conflict(index[id(held)], index[id(other)], held["team"], other["team"], decided=True)
        earlier, late = self.open_pair
        self.pair_conflict(index[id(earlier)], index[id(late)], earlier["team"], late["team"], decided=False)

        for row in [*rows, duplicate]:
            row["dedupe_key"] = lead_key(
                unit_id=row["reporting_unit_id"],
                collected_date=row["collected_date"],
                investor_key=investor_key(company_id=row["investor_id"]),
                name=row["name"],
            )
        insert_rows(Lead, rows)
        ids = {
            (unit_id, key): pk
            for unit_id, key, pk in Lead.objects.filter(owner=self.city)
            .order_by()
            .values_list("reporting_unit_id", "dedupe_key", "id")
        }

        def pk_of(row):
            return ids[(row["reporting_unit_id"], row["dedupe_key"])]

        duplicate["duplicate_of_id"] = pk_of(index[id(first)])
        insert_rows(Lead, [duplicate])
        ids[(duplicate["reporting_unit_id"], duplicate["dedupe_key"])] = (
            Lead.objects.filter(reporting_unit_id=duplicate["reporting_unit_id"], dedupe_key=duplicate["dedupe_key"])
            .values_list("id", flat=True)
            .get()
        )
        insert_rows(
            Lead.reporters.through,
            [
                {"lead_id": pk_of(row), "user_id": user_id}
                for spec, row in zip(specs, rows, strict=True)
                for user_id in spec["reporters"]
            ],
        )
        events = sorted(self.events, key=lambda e: e["at"])
        insert_rows(
            LeadEvent,
            [{**{k: v for k, v in e.items() if k != "lead_key"}, "lead_id": pk_of(e["lead_key"])} for e in events],
        )
        insert_rows(
            FollowUp,
            [
                {**{k: v for k, v in f.items() if k != "lead_key"}, "lead_id": pk_of(f["lead_key"])}
                for f in self.follow_ups
            ],
        )
        insert_rows(
            LeadConflict,
            [
                {
                    **{k: v for k, v in c.items() if k not in ("lead_key", "other_key")},
                    "lead_id": pk_of(c["lead_key"]),
                    "other_lead_id": pk_of(c["other_key"]),
                    "other_visit_id": None,
                }
                for c in self.conflicts
            ],
        )


def _counts(city):
    leads = Lead.objects.filter(owner=city)
    counted = leads.counted()
    return {
        "线索": counted.count(),
        "重复线索": leads.filter(duplicate_of__isnull=False).count(),
        "在谈及以上": counted.filter(pool__code__in=["negotiating", "signed", "landed"]).count(),
        "签约": counted.filter(pool__code__in=["signed", "landed"]).count(),
        "撞单": LeadConflict.objects.filter(lead__owner=city).count(),
    }
