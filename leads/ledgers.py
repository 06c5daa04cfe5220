"""《收集线索台账》 in the columns teams already keep (domain.md §4), on the core ledger mechanism.

A team (or a county's squad) imports its ledger into its own unit: that unit is the
reporting unit of every row, its city the lead's owner (whose office assesses it). The
investor is found in the city's directory by its normalised name, and one not there yet
enters it with the row; the chain by name as in the visit ledger; the 推送单位 must be a
county or zone of the city. A row's key is the one a typed lead gets (leads.keys), so a
lead typed on a phone and the same lead in the team's Excel, or a file exported and
imported again, are recognised and not duplicated.

Rows are written in bulk (core.bulk), not through leads.services: an import of a year's
ledger must not cost a service call per row. What a service would do for a new lead is
done here in bulk too: the pool, the deadlines, the timeline's 报送 line, the follow-up.
"""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk import insert_rows
from core.ledgers import LEDGER_ROLES, Column, RowError, amount, choice, date, register, text
from core.spreadsheets import SpreadsheetError
from enterprises.choices import CompanyCategory
from enterprises.identity import normalize_company_name
from organizations.choices import UnitKind
from organizations.models import Unit
from outreach.ledgers import SEPARATORS, OutreachLedger, VisitLedger
from outreach.models import Visit

from .choices import LeadEventKind, LeadSource, LeadStatus, PoolKind
from .keys import investor_key, lead_key
from .models import FollowUp, Lead, LeadEvent, LeadPool, LeadSettings

DEFAULT_GRADES = ("A", "B", "C")
# Statuses in which the lead has been pushed to a county or zone, so the row must name it.
NEEDS_RECEIVER = (LeadStatus.DISPATCHED, LeadStatus.ACCEPTED)
# Statuses in which naming a receiving unit contradicts the row (nothing was pushed).
NO_RECEIVER = (LeadStatus.REPORTED, LeadStatus.REJECTED)
IMPORT_NOTE = "由《收集线索台账》导入"


def lead_settings(owner):
    """The city's lead rules as stored, else the defaults (read only: a dry run or a preview writes nothing)."""
    return LeadSettings.objects.filter(owner=owner).first() or LeadSettings(owner=owner, grades=list(DEFAULT_GRADES))


def grade_codes(settings):
    """The grades the office uses, as typed in a ledger ("A", "B", "C" unless configured)."""
    return [str(grade).strip() for grade in settings.grades or () if str(grade).strip()] or list(DEFAULT_GRADES)


def first_open_pool(owner):
    """The city's first active open pool (线索库 by default), the default pools made the first time."""
    # Imported here, not at the top: the ledger is registered when the app loads, before services are needed.
    from .services import first_pool

    return first_pool(owner)


def due_dates(collected_date, settings, entered, cache=None):
    """(assess_due, feedback_due) of a lead collected on `collected_date` and imported on `entered`.

    The same rule as a lead typed in (leads.services.lead_due_dates): assessment within
    `assess_working_days` working days of the day collected, feedback to the team within
    `feedback_days` calendar days of the day the lead reached the office, here the day of
    the import. `cache` (a dict) spares a query per row for dates seen before.
    """
    from .services import lead_due_dates

    key = (collected_date, entered)
    if cache is not None and key in cache:
        return cache[key]
    dues = lead_due_dates(settings, collected_date=collected_date, entered=entered)
    if cache is not None:
        cache[key] = dues
    return dues


def _normalize_grade(value):
    return "".join(value.split()).upper().removesuffix("级").removesuffix("类")


def _opinion(lead):
    # A rejected lead's reason is its opinion in the ledger: teams keep one column for both.
    return lead.opinion or lead.closing_reason


class LeadLedger(OutreachLedger):
    """《收集线索台账》: a team's (or squad's) leads, imported into the reporting unit."""

    name = "leads"
    title = "收集线索台账"
    model = Lead
    date_field = "collected_date"
    export_filters = ("start", "end")
    roles = ("team_leader", "team_member", "county_staff")
    export_roles = LEDGER_ROLES
    columns = [
        Column("collected_date", "收集日期", parse=date, required=True),
        Column("name", "线索名称", parse=text(200), required=True),
        Column("source", "信息来源", parse=choice(LeadSource), export=lambda lead: lead.get_source_display()),
        Column(
            "investor_name",
            "投资方",
            parse=text(200),
            export=lambda lead: lead.investor.name if lead.investor_id else "",
        ),
        Column("content", "项目内容", parse=text(4000)),
        Column(
            "estimated_amount",
            "拟投资额(万元)",
            aliases=(
                "拟投资额",
                "拟投资额(亿元)",
                "拟投资额(单位:万元)",
                "拟投资额(单位:亿元)",
                "预计投资额(万元)",
                "预计投资额(亿元)",
            ),
            parse=amount,
        ),
        Column("chain", "所属产业链", parse=text(100), export=lambda lead: lead.chain.name if lead.chain_id else ""),
        Column("proposed_location", "拟落地区域", parse=text(200)),
        Column("grade", "线索等级", parse=text(16)),
        Column("opinion", "研判意见", parse=text(4000), export=_opinion),
        Column(
            "receiving_unit",
            "推送单位",
            parse=text(100),
            export=lambda lead: lead.receiving_unit.name if lead.receiving_unit_id else "",
        ),
        Column("follow_up", "跟进情况", parse=text(4000), export=lambda lead: lead.latest_follow_up or ""),
        Column("status", "状态", parse=choice(LeadStatus), export=lambda lead: lead.get_status_display()),
        Column("source_note", "备注", parse=text(200)),
    ]

    def prepare(self, context):
        super().prepare(context)
        from chains.models import IndustryChain

        owner = context.owner
        context.chains = {}
        for chain in IndustryChain.objects.filter(cluster__owner=owner, active=True).only("id", "name"):
            context.chains[VisitLedger.chain_name(chain.name)] = chain.pk
        # The counties and zones of the city: the only units a lead is pushed to.
        hosts = Unit.objects.filter(
            path__startswith=owner.path, kind__in=[UnitKind.COUNTY, UnitKind.ZONE], active=True
        ).order_by()
        context.hosts = {}
        for name, code, pk in hosts.values_list("name", "code", "id"):
            context.hosts[name] = pk
            context.hosts[code.upper()] = pk
        pools = LeadPool.objects.filter(owner=owner)
        if pools.exists() and not pools.filter(kind=PoolKind.OPEN, active=True).exists():
            # Checked before any row: the import would have nowhere to put the leads.
            raise SpreadsheetError(_("本市没有启用的线索库，请先在线索库设置中启用一个“跟进中”的库。"))
        context.settings = lead_settings(owner)
        context.grades = {_normalize_grade(code): code for code in grade_codes(context.settings)}
        context.dues = {}
        context.pool_id = None

    def validate_row(self, values, context):
        day = values["collected_date"]
        if day > context.today:
            raise RowError(_("收集日期不能晚于今天"), "collected_date")
        if day < datetime.date(2000, 1, 1):
            raise RowError(_("收集日期不能早于 2000 年"), "collected_date")
        values["unit"] = context.org.pk
        values["company_name"] = values.pop("investor_name")
        values["normalized_name"] = normalize_company_name(values["company_name"]) if values["company_name"] else ""
        if values["company_name"] and not values["normalized_name"]:
            raise RowError(_("「%(name)s」不是一个企业名称") % {"name": values["company_name"]}, "investor_name")
        values["company_id"] = None
        if values["company_name"]:
            values["company_id"] = self.company_id(values["normalized_name"], "", context)
        values["source"] = values["source"] or LeadSource.OTHER.value
        values["chain_id"] = self.chain_id(values.pop("chain"), context)
        values["grade"] = self.grade(values["grade"], context)
        values["receiving_unit_id"] = self.receiver_id(values.pop("receiving_unit"), context)
        self.check_status(values)
        return values

    def chain_id(self, chain, context):
        if not chain:
            return None
        found = [context.chains.get(VisitLedger.chain_name(n)) for n in SEPARATORS.split(chain) if n]
        found = [pk for pk in found if pk]
        if not found:
            raise RowError(_("「%(chain)s」不在本市产业链目录中") % {"chain": chain}, "chain")
        return found[0]

    def grade(self, typed, context):
        if not typed:
            return ""
        grade = context.grades.get(_normalize_grade(typed))
        if grade is None:
            raise RowError(
                _("「%(grade)s」不是本市的线索等级，可选：%(grades)s")
                % {"grade": typed, "grades": "、".join(context.grades.values())},
                "grade",
            )
        return grade

    def receiver_id(self, name, context):
        if not name:
            return None
        pk = context.hosts.get(name) or context.hosts.get(name.upper())
        if pk is None:
            raise RowError(
                _("「%(name)s」不是%(city)s的县（市、区）或开发区，线索只能推送给县区或开发区")
                % {"name": name, "city": context.owner.name},
                "receiving_unit",
            )
        return pk

    def check_status(self, values):
        status = values["status"]
        if not status:
            # A row naming where the lead went, with no status, was pushed there; one naming none awaits assessment.
            status = (LeadStatus.DISPATCHED if values["receiving_unit_id"] else LeadStatus.REPORTED).value
        label = LeadStatus(status).label
        if status in NEEDS_RECEIVER and not values["receiving_unit_id"]:
            raise RowError(_("状态为「%(status)s」的线索须填写推送单位") % {"status": label}, "receiving_unit")
        if status in NO_RECEIVER and values["receiving_unit_id"]:
            raise RowError(
                _("状态为「%(status)s」的线索尚未推送，不应填写推送单位") % {"status": label}, "receiving_unit"
            )
        values["closing_reason"] = ""
        if status == LeadStatus.REJECTED:
            if not values["opinion"]:
                raise RowError(_("研判不予推送的线索须在研判意见中写明原因"), "opinion")
            values["closing_reason"] = values["opinion"]
        values["status"] = status

    def row_key(self, cleaned, context):
        return lead_key(
            unit_id=cleaned["unit"],
            collected_date=cleaned["collected_date"],
            investor_key=investor_key(company_id=cleaned["company_id"], normalized_name=cleaned["normalized_name"]),
            name=cleaned["name"],
        )

    def existing_keys(self, keys, context):
        existing = Lead.objects.filter(reporting_unit=context.org, dedupe_key__in=list(keys)).order_by()
        return set(existing.values_list("dedupe_key", flat=True))

    def save_rows(self, cleaned_rows, context):
        named = [row for row in cleaned_rows if row["company_name"]]
        self.ensure_companies(named, context, lambda row: {"category": CompanyCategory.OTHER})
        if context.pool_id is None:
            context.pool_id = first_open_pool(context.owner).pk
        visits = self.visits_of(cleaned_rows, context)
        actor_id = context.actor.pk if context.actor else None
        leads = []
        for row in cleaned_rows:
            # Keyed again with the directory id the investor now has: a typed lead or a later import finds it.
            row["dedupe_key"] = lead_key(
                unit_id=row["unit"],
                collected_date=row["collected_date"],
                investor_key=investor_key(company_id=row["company_id"]),
                name=row["name"],
            )
            visit = self.source_visit(row, visits)
            assess_due, feedback_due = due_dates(row["collected_date"], context.settings, context.today, context.dues)
            leads.append(
                {
                    "owner_id": context.owner.pk,
                    "reporting_unit_id": row["unit"],
                    "name": row["name"],
                    "collected_date": row["collected_date"],
                    "source": row["source"],
                    "source_note": row["source_note"],
                    "visit_id": visit[0] if visit and row["source"] == LeadSource.VISIT else None,
                    "event_id": None,
                    "trip_id": None,
                    "investor_id": row["company_id"],
                    "content": row["content"],
                    "estimated_amount": row["estimated_amount"],
                    "chain_id": row["chain_id"],
                    "segment_id": None,
                    "proposed_location": row["proposed_location"],
                    # The ledger has no contact column: a visit of the unit to the investor, or a follow-up, shows one.
                    "contact_reached": bool(visit or row["follow_up"]),
                    "contact_name": visit[1] if visit else "",
                    "status": row["status"],
                    "pool_id": context.pool_id,
                    "grade": row["grade"],
                    "opinion": row["opinion"] if row["status"] != LeadStatus.REJECTED else "",
                    "assessed_by_id": None,
                    "assessed_at": None,
                    "receiving_unit_id": row["receiving_unit_id"],
                    "dispatched_at": None,
                    "accepted_at": None,
                    "closing_reason": row["closing_reason"],
                    "assess_due": assess_due,
                    "feedback_due": feedback_due,
                    "duplicate_of_id": None,
                    "created_by_id": actor_id,
                    "dedupe_key": row["dedupe_key"],
                }
            )
        insert_rows(Lead, leads)
        ids = dict(
            Lead.objects.filter(reporting_unit=context.org, dedupe_key__in=[row["dedupe_key"] for row in cleaned_rows])
            .order_by()
            .values_list("dedupe_key", "id")
        )
        self.timeline(cleaned_rows, ids, context)

    def visits_of(self, rows, context):
        """(company id → [(date, visit id, contact name)]) of the unit's visits to the batch's investors, by date."""
        companies = {row["company_id"] for row in rows if row["company_id"]}
        if not companies:
            return {}
        found = {}
        visits = (
            Visit.objects.filter(unit_id=context.org.pk, company_id__in=companies)
            .order_by("visit_date", "id")
            .values_list("company_id", "visit_date", "id", "contact_name")
        )
        for company_id, day, pk, contact in visits:
            found.setdefault(company_id, []).append((day, pk, contact))
        return found

    @staticmethod
    def source_visit(row, visits):
        """(visit id, contact name) of the unit's latest visit to the investor on or before the collection day."""
        chosen = None
        for day, pk, contact in visits.get(row["company_id"], ()):
            if day > row["collected_date"]:
                break
            chosen = (pk, contact)
        return chosen

    def timeline(self, rows, ids, context):
        """The 报送 line of every new lead, its follow-up if the row gave one, and the actor as reporter."""
        now = timezone.now()
        actor_id = context.actor.pk if context.actor else None
        events, follow_ups = [], []
        for row in rows:
            lead_id = ids[row["dedupe_key"]]
            note = IMPORT_NOTE
            if row["status"] != LeadStatus.REPORTED:
                note += _("，导入时状态：%(status)s") % {"status": LeadStatus(row["status"]).label}
            events.append(self.event(lead_id, LeadEventKind.REPORTED, now, actor_id, row["unit"], note))
            if row["follow_up"]:
                unit_id = row["receiving_unit_id"] or row["unit"]
                follow_ups.append(
                    {
                        "lead_id": lead_id,
                        "unit_id": unit_id,
                        "author_id": actor_id,
                        # The day it entered the system: the ledger does not say when the note was written.
                        "follow_date": context.today,
                        "note": row["follow_up"],
                        "inspection_id": None,
                        "event_id": None,
                    }
                )
                events.append(self.event(lead_id, LeadEventKind.FOLLOW_UP, now, actor_id, unit_id, row["follow_up"]))
        insert_rows(LeadEvent, events)
        insert_rows(FollowUp, follow_ups)
        if actor_id is not None:
            insert_rows(Lead.reporters.through, [{"lead_id": pk, "user_id": actor_id} for pk in sorted(ids.values())])

    @staticmethod
    def event(lead_id, kind, at, actor_id, unit_id, note):  # noqa: PLR0917 -- one line of the timeline, as its columns
        return {
            "lead_id": lead_id,
            "kind": kind,
            "at": at,
            "actor_id": actor_id,
            "unit_id": unit_id,
            "from_value": "",
            "to_value": "",
            "note": note,
        }

    def export_queryset(self, org, user, **filters):
        records = Lead.objects.all() if user is None else Lead.objects.visible_to(user)
        records = records.filter(reporting_unit__path__startswith=org.path)
        if filters.get("start"):
            records = records.filter(collected_date__gte=filters["start"])
        if filters.get("end"):
            records = records.filter(collected_date__lte=filters["end"])
        latest = FollowUp.objects.filter(lead=OuterRef("pk")).order_by("-follow_date", "-id").values("note")[:1]
        return (
            records.select_related("investor", "chain", "receiving_unit")
            .annotate(latest_follow_up=Subquery(latest))
            .order_by("collected_date", "id")
        )


leads_ledger = register(LeadLedger())
