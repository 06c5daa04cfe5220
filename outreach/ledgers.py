"""《走访企业台账》 and 《邀请企业来运考察台账》 in the columns teams already keep (domain.md §4).

Both run on the general mechanism in core.ledgers: this module says what the columns are,
how a row finds its unit, company, chain and people, what makes two rows the same visit,
and how a batch is written. Lookups are loaded once per import (`prepare`) and kept on the
context, so 100,000 rows cost a handful of queries per batch, not several per row.

A company named in a row is found in the city's directory by its 统一社会信用代码, then by
its normalised name; one not there yet enters the directory with the row. A visit's key
is the one the visit form uses (outreach.keys), so a file exported and imported again, or
a visit typed on a phone and then imported from Excel, is recognised and not duplicated.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk import insert_rows
from core.ledgers import LEDGER_ROLES, Column, Ledger, RowError, choice, date, register, text
from core.parsing import ParseError, parse_text
from enterprises.choices import DEFAULT_CATEGORY, CompanyCategory, CompanyKind
from enterprises.identity import clean_credit_code, normalize_company_name
from enterprises.models import Company, Contact
from enterprises.services import directory_owner
from organizations.choices import UnitKind
from organizations.models import Unit, User

from .choices import VisitWay
from .keys import inspection_key, visit_key
from .models import Inspection, Visit

WORKING_KINDS = (UnitKind.TEAM, UnitKind.SQUAD, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT, UnitKind.CITY)
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
LOCATION = re.compile(r"^(?P<province>.+?(?:省|自治区|特别行政区))?(?P<city>.*)$")
CONTACT_SPLIT = re.compile(r"^(?P<name>[^（(／/，,、\s]+)[\s（(／/，,、]*(?P<title>[^）)]*)[）)]?$")
SEPARATORS = re.compile(r"[、，,；;/／\s]+")


def split_location(value):
    """ "浙江省杭州市" → ("浙江省", "杭州市"); "上海" → ("上海市", "上海市"); "杭州" → ("", "杭州")."""
    value = "".join((value or "").split())
    if not value:
        return "", ""
    for name in MUNICIPALITIES:
        if value.startswith(name):
            return f"{name}市", f"{name}市"
    match = LOCATION.match(value)
    return match.group("province") or "", match.group("city") or ""


def split_contact(value):
    """ "张伟（总经理）", "张伟 总经理", "张伟/总经理" → ("张伟", "总经理")."""
    value = (value or "").strip()
    if not value:
        return "", ""
    match = CONTACT_SPLIT.match(value)
    if not match:
        return value[:50], ""
    return match.group("name")[:50], match.group("title").strip()[:100]


def credit_code(value, ctx):
    text_ = parse_text(value)
    if not text_:
        return ""
    try:
        return clean_credit_code(text_)
    except Exception:  # a ValidationError whose message names the code
        raise ParseError(_("统一社会信用代码无效：应为 18 位，且校验位正确"))


def _kind_for(category, name):
    if category == CompanyCategory.CHAMBER:
        return CompanyKind.CHAMBER
    if category == CompanyCategory.ACADEMIC:
        return CompanyKind.INSTITUTE if "研究" in name else CompanyKind.UNIVERSITY
    return CompanyKind.COMPANY


class OutreachLedger(Ledger):
    """What the two outreach ledgers share: units, the directory and the row's company."""

    unit_column = "unit"
    # A team keeps its own ledger; the office reads (exports) every team's and writes none (domain.md §7).
    roles = ("team_leader", "team_member", "county_staff")
    export_roles = LEDGER_ROLES

    def prepare(self, context):
        org = context.org
        units = Unit.objects.filter(path__startswith=org.path, active=True, kind__in=WORKING_KINDS)
        context.units = {}
        context.unit_ids = set()
        for unit in units.only("id", "name", "code", "path", "kind"):
            context.unit_ids.add(unit.pk)
            context.units[unit.name] = unit
            context.units[unit.code.upper()] = unit
        context.owner = directory_owner(org)
        companies = Company.objects.current().filter(owner=context.owner)
        # No ORDER BY on lookups (here and below): a model's default ordering would let the
        # database walk a date index over the whole table instead of seeking the keys asked for.
        context.by_code = dict(companies.exclude(credit_code="").order_by().values_list("credit_code", "id"))
        context.by_name = {}
        # A name merged away still means the company it was merged into; a current name wins over it.
        merged = Company.objects.filter(owner=context.owner, merged_into__isnull=False).order_by()
        for normalized, survivor in merged.values_list("normalized_name", "merged_into_id"):
            context.by_name[normalized] = survivor
        for pk, normalized in companies.order_by("-id").values_list("id", "normalized_name"):
            context.by_name[normalized] = pk  # the oldest wins: it is the one others were matched to
        context.created = {}  # normalised name or code → id, for companies this import enters
        context.today = timezone.localdate()

    def unit_of(self, value, context):
        name = (value or "").strip()
        if not name:
            return context.org
        unit = context.units.get(name) or context.units.get(name.upper())
        if unit is None:
            raise RowError(
                _("「%(name)s」不是%(org)s或其下属的单位") % {"name": name, "org": context.org.name}, self.unit_column
            )
        return unit

    def company_id(self, normalized, code, context):
        """The directory id for the row's company (by code, then normalised name), or None when it is new."""
        if code:
            found = context.by_code.get(code) or context.created.get(code)
            if found:
                return found
        return context.by_name.get(normalized) or context.created.get(normalized)

    def ensure_companies(self, rows, context, fields):
        """Enter the batch's new companies in the directory (in bulk) and set each row's company_id.

        Two rows naming one new company (by code, or by normalised name) enter it once.
        """
        new, by_code = {}, {}
        for row in rows:
            if row["company_id"] is None:
                row["company_id"] = self.company_id(row["normalized_name"], row.get("credit_code", ""), context)
            if row["company_id"] is not None:
                continue
            normalized = row["normalized_name"]
            code = row.get("credit_code", "")
            if normalized in new or (code and code in by_code):
                continue
            values = {
                "owner_id": context.owner.pk,
                "name": row["company_name"],
                "normalized_name": normalized,
                "credit_code": "",
                "kind": CompanyKind.COMPANY,
                "category": CompanyCategory.OTHER,
                "size": "",
                "province": "",
                "city": "",
                "address": "",
                "industry": "",
                "website": "",
                "description": "",
                "created_by_id": context.actor.pk if context.actor else None,
                "created_by_unit_id": row["unit"],
                "merged_into_id": None,
                **fields(row),
            }
            new[normalized] = values
            if values["credit_code"]:
                by_code[values["credit_code"]] = normalized
        if not new:
            return
        insert_rows(Company, list(new.values()))
        # None of these names or codes was in the directory: each is now there exactly once.
        made = (
            Company.objects.filter(owner=context.owner, normalized_name__in=list(new), merged_into__isnull=True)
            .order_by()
            .values_list("normalized_name", "credit_code", "id")
        )
        for normalized, code, pk in made:
            context.created[normalized] = pk
            if code:
                context.created[code] = pk
        for row in rows:
            if row["company_id"] is None:
                code = row.get("credit_code", "")
                row["company_id"] = (code and context.created.get(code)) or context.created[row["normalized_name"]]

    def export_queryset(self, org, user, **filters):
        model = self.model
        records = model.objects.all() if user is None else model.objects.visible_to(user)
        records = records.filter(unit__path__startswith=org.path)
        date_field = self.date_field
        if filters.get("start"):
            records = records.filter(**{f"{date_field}__gte": filters["start"]})
        if filters.get("end"):
            records = records.filter(**{f"{date_field}__lte": filters["end"]})
        return records.select_related(*self.export_related).order_by(date_field, "id")


def _date_not_future(cleaned, key, context, label):
    if cleaned[key] and cleaned[key] > context.today:
        raise RowError(_("%(label)s不能晚于今天") % {"label": label}, key)
    if cleaned[key] and cleaned[key] < datetime.date(2000, 1, 1):
        raise RowError(_("%(label)s不能早于 2000 年") % {"label": label}, key)


class VisitLedger(OutreachLedger):
    """《走访企业台账》."""

    name = "visits"
    title = "走访企业台账"
    model = Visit
    date_field = "visit_date"
    export_related = ("unit", "company", "chain")
    export_filters = ("start", "end")
    columns = [
        Column("visit_date", "走访日期", parse=date, required=True),
        Column("unit", "走访单位(招商组/小分队)", aliases=("走访单位",), parse=text(100), export=lambda v: v.unit.name),
        Column("visitor_names", "走访人员", parse=text(200)),
        Column("company_name", "企业名称", parse=text(200), required=True, export=lambda v: v.company.name),
        Column("credit_code", "统一社会信用代码", parse=credit_code, export=lambda v: v.company.credit_code),
        Column("location", "企业所在地", parse=text(100), export=lambda v: v.company.location),
        Column("chain", "所属产业链", parse=text(100), export=lambda v: v.chain.name if v.chain_id else ""),
        Column(
            "category",
            "企业类别(链主/上下游/高校院所/商协会/其他)",
            aliases=("企业类别",),
            parse=choice(CompanyCategory),
            export=lambda v: v.company.get_category_display(),
        ),
        Column(
            "contact",
            "对接人及职务",
            aliases=("对接人",),
            parse=text(150),
            export=lambda v: f"{v.contact_name}（{v.contact_title}）" if v.contact_title else v.contact_name,
        ),
        Column("contact_phone", "联系电话", parse=text(30)),
        Column(
            "way",
            "走访方式(敲门招商/以商招商/商会招商/中介招商/其他)",
            aliases=("走访方式",),
            parse=choice(VisitWay),
            export=lambda v: v.get_way_display(),
        ),
        Column("content", "对接内容", parse=text(4000), required=True),
        Column("intention", "投资意向", parse=text(2000)),
        Column("next_step", "下步计划", parse=text(2000)),
        Column("remarks", "备注", parse=text(2000)),
    ]

    def prepare(self, context):
        super().prepare(context)
        from chains.models import IndustryChain

        context.chains = {}
        chains = IndustryChain.objects.filter(cluster__owner=context.owner, active=True).only("id", "name")
        for chain in chains:
            context.chains[self.chain_name(chain.name)] = chain.pk
        # People of the org's units by name, to link the visitors the system knows.
        people = User.objects.filter(
            memberships__unit__path__startswith=context.org.path, memberships__active=True, is_active=True
        ).values_list("name", "id")
        context.people = {}
        for name, pk in people:
            context.people.setdefault(name, pk)

    @staticmethod
    def chain_name(name):
        name = "".join((name or "").split())
        for suffix in ("产业链", "产业集群", "链"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name

    def validate_row(self, values, context):
        _date_not_future(values, "visit_date", context, _("走访日期"))
        # The id, not the unit: cleaned rows are spooled to disk between the passes.
        values["unit"] = self.unit_of(values["unit"], context).pk
        values["normalized_name"] = normalize_company_name(values["company_name"])
        values["company_id"] = self.company_id(values["normalized_name"], values["credit_code"], context)
        chain = values["chain"]
        values["chain_id"] = None
        if chain:
            names = [n for n in SEPARATORS.split(chain) if n]
            ids = [context.chains.get(self.chain_name(n)) for n in names]
            found = [i for i in ids if i]
            if not found:
                raise RowError(_("「%(chain)s」不在本市产业链目录中") % {"chain": chain}, "chain")
            values["chain_id"] = found[0]
        values["contact_name"], values["contact_title"] = split_contact(values["contact"])
        values["way"] = values["way"] or VisitWay.OTHER
        return values

    def row_key(self, cleaned, context):
        if cleaned["company_id"] is None:
            # A company new to the directory has no visits yet; the key only has to tell rows of this file apart.
            return "new\x1f" + "\x1f".join(
                [
                    str(cleaned["unit"]),
                    cleaned["visit_date"].isoformat(),
                    cleaned["normalized_name"],
                    " ".join(cleaned["content"].split()),
                ]
            )
        return visit_key(
            unit_id=cleaned["unit"],
            visit_date=cleaned["visit_date"],
            company_id=cleaned["company_id"],
            content=cleaned["content"],
        )

    def existing_keys(self, keys, context):
        hashes = [k for k in keys if not k.startswith("new\x1f")]
        if not hashes:
            return set()
        # With the units named, the lookup walks the (unit, dedupe_key) unique index.
        existing = Visit.objects.filter(unit_id__in=context.unit_ids, dedupe_key__in=hashes)
        return set(existing.order_by().values_list("dedupe_key", flat=True))

    def save_rows(self, cleaned_rows, context):
        def company_fields(row):
            province, city = split_location(row["location"])
            category = row["category"] or CompanyCategory.OTHER
            kind = _kind_for(category, row["company_name"])
            return {
                "credit_code": row["credit_code"],
                "province": province,
                "city": city,
                "category": row["category"] or DEFAULT_CATEGORY[kind],
                "kind": kind,
            }

        self.ensure_companies(cleaned_rows, context, company_fields)
        visits = []
        for row in cleaned_rows:
            row["dedupe_key"] = visit_key(
                unit_id=row["unit"],
                visit_date=row["visit_date"],
                company_id=row["company_id"],
                content=row["content"],
            )
            visits.append(
                {
                    "unit_id": row["unit"],
                    "visit_date": row["visit_date"],
                    "visitor_names": row["visitor_names"],
                    "company_id": row["company_id"],
                    "chain_id": row["chain_id"],
                    "contact_id": None,
                    "contact_name": row["contact_name"],
                    "contact_title": row["contact_title"],
                    "contact_phone": row["contact_phone"],
                    "way": row["way"],
                    "content": row["content"],
                    "intention": row["intention"],
                    "next_step": row["next_step"],
                    "remarks": row["remarks"],
                    "created_by_id": context.actor.pk if context.actor else None,
                    "dedupe_key": row["dedupe_key"],
                }
            )
        insert_rows(Visit, visits)
        # The visitors the system knows are linked to the new visits, found again by their keys.
        named = [row for row in cleaned_rows if row["visitor_names"]]
        if named and context.people:
            ids = dict(
                Visit.objects.filter(
                    unit_id__in={row["unit"] for row in named}, dedupe_key__in=[row["dedupe_key"] for row in named]
                )
                .order_by()
                .values_list("dedupe_key", "id")
            )
            links = {
                (ids[row["dedupe_key"]], context.people[name])
                for row in named
                for name in SEPARATORS.split(row["visitor_names"])
                if name in context.people
            }
            insert_rows(Visit.visitors.through, [{"visit_id": v, "user_id": u} for v, u in sorted(links)])
        self.remember_contacts(cleaned_rows, context)

    def remember_contacts(self, rows, context):
        """The directory learns each company's contacts from the ledger, once per name."""
        wanted = {}
        for row in rows:
            if row["contact_name"]:
                wanted.setdefault((row["company_id"], row["contact_name"]), row)
        if not wanted:
            return
        known = set(
            Contact.objects.filter(company_id__in={c for c, _n in wanted}).order_by().values_list("company_id", "name")
        )
        insert_rows(
            Contact,
            [
                {
                    "company_id": c,
                    "name": n,
                    "title": row["contact_title"],
                    "phone": row["contact_phone"],
                    "email": "",
                    "notes": "",
                    "active": True,
                }
                for (c, n), row in wanted.items()
                if (c, n) not in known
            ],
        )


class InspectionLedger(OutreachLedger):
    """《邀请企业来运考察台账》; the 邀请单位 column names the inviting unit."""

    name = "inspections"
    title = "邀请企业来运考察台账"
    model = Inspection
    date_field = "inspection_date"
    export_related = ("unit", "company")
    export_filters = ("start", "end")
    columns = [
        Column("inspection_date", "考察日期", parse=date, required=True),
        Column("company_name", "企业名称", parse=text(200), required=True, export=lambda i: i.company.name),
        Column("delegation", "考察人员及职务", aliases=("考察人员",), parse=text(2000)),
        Column("unit", "邀请单位", parse=text(100), export=lambda i: i.unit.name),
        Column("places", "考察地点", parse=text(2000)),
        Column("accompanying_leader", "陪同领导", parse=text(200)),
        Column("result", "考察成果", parse=text(4000)),
        Column("next_step", "下步计划", parse=text(2000)),
        Column("remarks", "备注", parse=text(2000)),
    ]

    def prepare(self, context):
        super().prepare(context)
        # Counties and zones of the city, to know which ones an inspection visited from its places.
        hosts = Unit.objects.filter(
            path__startswith=context.owner.path, kind__in=[UnitKind.COUNTY, UnitKind.ZONE], active=True
        ).values_list("name", "id")
        context.hosts = sorted(hosts, key=lambda pair: -len(pair[0]))

    def validate_row(self, values, context):
        _date_not_future(values, "inspection_date", context, _("考察日期"))
        # The id, not the unit: cleaned rows are spooled to disk between the passes.
        values["unit"] = self.unit_of(values["unit"], context).pk
        values["normalized_name"] = normalize_company_name(values["company_name"])
        values["company_id"] = self.company_id(values["normalized_name"], "", context)
        return values

    def row_key(self, cleaned, context):
        if cleaned["company_id"] is None:
            return "new\x1f" + "\x1f".join(
                [
                    str(cleaned["unit"]),
                    cleaned["inspection_date"].isoformat(),
                    cleaned["normalized_name"],
                ]
            )
        return inspection_key(
            unit_id=cleaned["unit"], inspection_date=cleaned["inspection_date"], company_id=cleaned["company_id"]
        )

    def existing_keys(self, keys, context):
        hashes = [k for k in keys if not k.startswith("new\x1f")]
        if not hashes:
            return set()
        # With the units named, the lookup walks the (unit, dedupe_key) unique index.
        existing = Inspection.objects.filter(unit_id__in=context.unit_ids, dedupe_key__in=hashes)
        return set(existing.order_by().values_list("dedupe_key", flat=True))

    def host_ids(self, places, context):
        found, rest = [], places or ""
        for name, pk in context.hosts:
            if name in rest:
                found.append(pk)
                rest = rest.replace(name, "")
        return found

    def save_rows(self, cleaned_rows, context):
        self.ensure_companies(cleaned_rows, context, lambda row: {"category": CompanyCategory.OTHER})
        inspections = [
            Inspection(
                unit_id=row["unit"],
                inspection_date=row["inspection_date"],
                company_id=row["company_id"],
                delegation=row["delegation"],
                places=row["places"],
                accompanying_leader=row["accompanying_leader"],
                result=row["result"],
                next_step=row["next_step"],
                remarks=row["remarks"],
                created_by=context.actor,
                dedupe_key=inspection_key(
                    unit_id=row["unit"], inspection_date=row["inspection_date"], company_id=row["company_id"]
                ),
            )
            for row in cleaned_rows
        ]
        Inspection.objects.bulk_create(inspections, batch_size=1000)
        Inspection.host_units.through.objects.bulk_create(
            [
                Inspection.host_units.through(inspection_id=inspection.pk, unit_id=pk)
                for inspection in inspections
                for pk in self.host_ids(inspection.places, context)
            ],
            batch_size=1000,
        )


visits_ledger = register(VisitLedger())
inspections_ledger = register(InspectionLedger())
