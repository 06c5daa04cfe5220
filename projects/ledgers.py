"""《签约项目台账》 in the columns teams and counties already keep (domain.md §4), on the core ledger mechanism.

The office of the city imports it for any county or zone (naming the 落地县(市、区)/开发区 of
each row); a county or zone imports its own (the column may stay empty). Amounts are 亿元 in
the sheet unless the header says 万元, Decimal 万元 inside.

Every row goes through the project services, as a project typed on the page would: a new
project is entered at 在谈, a project already there (the same host and the same name as
services.project_key folds it) gets the row's facts, its 包联 (leader's name, responsible
unit of the city) is bound, and its signing is recorded on the 签约日期 as a move awaiting
verification, without a file: the ledger carries no contract. Someone attaches the contract
later and a verifier confirms it (services.attach_stage_evidence, services.verify_stage);
until then the project shows as pending and counts in no figure.

A row whose project is already signed (confirmed or pending) is already in the system and
is skipped, so importing a file twice, or importing an export, creates nothing.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db.models import DateField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ledgers import LEDGER_ROLES, Column, Ledger, RowError, amount, choice, date, register, text
from core.parsing import YI_IN_WAN, ParseError, parse_date, parse_text
from core.spreadsheets import SpreadsheetError
from enterprises.identity import normalize_company_name
from organizations.choices import UnitKind
from organizations.models import Unit
from outreach.ledgers import SEPARATORS, VisitLedger

from .choices import SigningForm, Stage, Verification
from .models import Project, StageChange

HOST_KINDS = (UnitKind.COUNTY, UnitKind.ZONE)
# Stages in which the project's signing is already recorded: the ledger row is in the system.
SIGNED_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY, Stage.SUSPENDED)
INVESTOR_SEPARATORS = re.compile(r"[、，,；;／/\n]+")
# "2023年6月", "2023.6", "2023-06": a month is how teams often give an expected start; it means its first day.
_MONTH = re.compile(r"^(\d{4})\s*(?:年|[./\-])\s*(\d{1,2})\s*月?(?:份)?$")
EARLIEST = datetime.date(1990, 1, 1)


def month_or_date(value, ctx):
    """A date, or a month (2023年6月 → 2023年6月1日): 预计开工时间 and 预计投产时间 are often a month."""
    try:
        return parse_date(value)
    except ParseError:
        typed = parse_text(value)
        match = _MONTH.match(typed.translate(str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")))
        if match and 1 <= int(match.group(2)) <= 12:
            return datetime.date(int(match.group(1)), int(match.group(2)), 1)
        raise


def yi(value):
    """万元 → 亿元 for the sheet (None stays empty)."""
    return None if value is None else value / YI_IN_WAN


def _signing_date():
    """The signing date of each project: confirmed, else as recorded while it awaits the verifier."""
    recorded = (
        StageChange.objects.filter(project=OuterRef("pk"), to_stage=Stage.SIGNED)
        .exclude(verification=Verification.REJECTED)
        .order_by("id")
        .values("happened_on")[:1]
    )
    return Coalesce("signed_on", Subquery(recorded, output_field=DateField()))


class SignedProjectLedger(Ledger):
    """《签约项目台账》: the signed projects of a county or zone, or of the whole city for its office."""

    name = "signed"
    title = "签约项目台账"
    export_filters = ("start", "end")
    # The office writes it for any county or zone of the city, a county or zone for its own (domain.md §7).
    roles = ("office_staff", "county_staff")
    export_roles = LEDGER_ROLES
    columns = [
        Column("name", "项目名称", parse=text(200), required=True),
        Column("signed_date", "签约日期", parse=date, required=True, export=lambda p: p.signing_date),
        Column(
            "investors", "投资方", aliases=("投资主体", "签约企业"), parse=text(300), export=lambda p: p.investor_names
        ),
        Column(
            "host",
            "落地县(市、区)/开发区",
            aliases=("落地县(市、区)", "落地县区/开发区", "落地县区", "落地开发区", "落地单位", "落地区域"),
            parse=text(100),
            export=lambda p: p.host_unit.name,
        ),
        Column(
            "total_investment",
            "总投资(亿元)",
            aliases=("总投资", "总投资(万元)", "总投资额(亿元)", "总投资额(万元)", "签约金额(亿元)", "签约金额(万元)"),
            parse=amount,
            required=True,
            export=lambda p: yi(p.total_investment),
        ),
        Column(
            "fixed_investment",
            "其中固定资产投资(亿元)",
            aliases=(
                "其中固定资产投资",
                "其中固定资产投资(万元)",
                "其中:固定资产投资(亿元)",
                "其中:固定资产投资(万元)",
                "固定资产投资(亿元)",
                "固定资产投资(万元)",
            ),
            parse=amount,
            export=lambda p: yi(p.fixed_investment),
        ),
        Column("content", "建设内容", aliases=("主要建设内容",), parse=text(4000)),
        Column(
            "chain",
            "所属产业链",
            aliases=("产业链",),
            parse=text(100),
            export=lambda p: p.chain.name if p.chain_id else "",
        ),
        Column(
            "signing_form",
            "签约形式",
            parse=choice(SigningForm),
            export=lambda p: p.get_signing_form_display() if p.signing_form else "",
        ),
        Column("expected_start", "预计开工时间", aliases=("计划开工时间",), parse=month_or_date),
        Column("expected_production", "预计投产时间", aliases=("计划投产时间",), parse=month_or_date),
        Column("leader_name", "包联领导", aliases=("包联县领导",), parse=text(100)),
        Column(
            "responsible_unit",
            "责任单位",
            aliases=("包联责任单位", "包联单位"),
            parse=text(100),
            export=lambda p: p.responsible_unit.name if p.responsible_unit_id else "",
        ),
        Column(
            "progress_note",
            "目前进展",
            aliases=("进展情况", "项目进展"),
            parse=text(500),
            export=lambda p: p.progress_note or p.get_stage_display(),
        ),
        Column("note", "备注", parse=text(4000)),
    ]

    # --- Importing ---------------------------------------------------------------------------

    def prepare(self, context):
        if context.actor is None:
            # The services record who signed what, and the verifier must be someone else: a person is needed.
            raise PermissionDenied(_("导入签约项目台账须指定操作人（命令行请加 --user），签约由其登记、待核验员核验。"))
        from chains.models import IndustryChain

        from .services import city_of

        org = context.org
        context.today = timezone.localdate()
        owner = org if org.kind == UnitKind.CITY else city_of(org)
        if owner is None or org.kind not in (UnitKind.CITY, *HOST_KINDS):
            raise SpreadsheetError(_("签约项目台账须导入到市或县（市、区）、开发区。"))
        context.owner = owner
        hosts = Unit.objects.filter(path__startswith=org.path, kind__in=HOST_KINDS, active=True).order_by()
        context.hosts = {}
        for pk, name, code in hosts.values_list("id", "name", "code"):
            context.hosts[name] = pk
            context.hosts[code.upper()] = pk
        # The responsible unit may be any active unit of the city (a department, the zone, a county …).
        context.units = {}
        for pk, name, code in (
            Unit.objects.filter(path__startswith=owner.path, active=True)
            .order_by("depth", "id")
            .values_list("id", "name", "code")
        ):
            context.units.setdefault(name, pk)
            context.units.setdefault(code.upper(), pk)
        context.chains = {}
        for pk, name in (
            IndustryChain.objects.filter(cluster__owner=owner, active=True).order_by("id").values_list("id", "name")
        ):
            context.chains.setdefault(VisitLedger.chain_name(name), pk)
        # The projects already at these hosts, by (host, key): what a row may update, or finds already signed.
        context.projects = {}
        rows = Project.objects.filter(host_unit__path__startswith=org.path).order_by()
        for values in rows.values(
            "id", "host_unit_id", "dedupe_key", "stage", "stage_date", "first_contact_on", "completed_investment"
        ):
            context.projects[(values["host_unit_id"], values["dedupe_key"])] = values

    def validate_row(self, values, context):
        from .services import MAX_AMOUNT, project_key

        values["name"] = " ".join(values["name"].split())
        values["key"] = project_key(values["name"])
        if not values["key"]:
            raise RowError(_("「%(name)s」不是一个项目名称") % {"name": values["name"]}, "name")
        values["host_id"] = self.host_id(values.pop("host"), context)
        day = values["signed_date"]
        if day > context.today:
            raise RowError(_("签约日期不能晚于今天"), "signed_date")
        if day < EARLIEST:
            raise RowError(_("签约日期过早，请检查"), "signed_date")
        total, fixed = values["total_investment"], values["fixed_investment"]
        if total > MAX_AMOUNT:
            raise RowError(_("总投资过大，请检查单位（亿元或万元）"), "total_investment")
        if fixed is not None and fixed > total:
            raise RowError(_("固定资产投资不能大于总投资"), "fixed_investment")
        for key in ("expected_start", "expected_production"):
            if values[key] is not None and values[key] < EARLIEST:
                raise RowError(_("日期过早，请检查"), key)
        start, production = values["expected_start"], values["expected_production"]
        if start and production and production < start:
            raise RowError(_("预计投产时间不能早于预计开工时间"), "expected_production")
        values["investor_names"] = [n.strip() for n in INVESTOR_SEPARATORS.split(values.pop("investors")) if n.strip()]
        for name in values["investor_names"]:
            if not normalize_company_name(name):
                raise RowError(_("「%(name)s」不是一个企业名称") % {"name": name}, "investors")
            if len(name) > 200:
                raise RowError(_("企业名称不能超过 200 个字"), "investors")
        values["chain_id"] = self.chain_id(values.pop("chain"), context)
        values["responsible_unit_id"] = self.unit_id(values.pop("responsible_unit"), context)
        self.check_existing(values, context)
        return values

    def host_id(self, name, context):
        org = context.org
        if not name:
            if org.kind in HOST_KINDS:
                return org.pk
            raise RowError(_("市级导入须填写落地县（市、区）或开发区"), "host")
        pk = context.hosts.get(name) or context.hosts.get(name.upper())
        if pk is None:
            raise RowError(
                _("「%(name)s」不是%(org)s的县（市、区）或开发区") % {"name": name, "org": org.name},
                "host",
            )
        return pk

    def chain_id(self, typed, context):
        if not typed:
            return None
        for name in SEPARATORS.split(typed):
            pk = context.chains.get(VisitLedger.chain_name(name)) if name else None
            if pk:
                return pk
        raise RowError(_("「%(chain)s」不在本市产业链目录中") % {"chain": typed}, "chain")

    def unit_id(self, typed, context):
        if not typed:
            return None
        name = "".join(typed.split())
        pk = context.units.get(name) or context.units.get(name.upper())
        if pk is None:
            raise RowError(
                _("「%(name)s」不是%(city)s的单位，责任单位须为本市的在用单位")
                % {"name": typed, "city": context.owner.name},
                "responsible_unit",
            )
        return pk

    def check_existing(self, values, context):
        """A project already there must be one the row can sign: not ended, its dates before the signing."""
        found = context.projects.get((values["host_id"], values["key"]))
        if found is None or found["stage"] in SIGNED_STAGES:
            return
        stage = Stage(found["stage"])
        if stage not in (Stage.PLANNED, Stage.NEGOTIATING):
            raise RowError(
                _("项目「%(name)s」已%(stage)s，不能登记签约") % {"name": values["name"], "stage": stage.label}, "name"
            )
        if found["stage_date"] and values["signed_date"] < found["stage_date"]:
            raise RowError(
                _("签约日期不能早于项目上一阶段的日期（%(date)s）") % {"date": found["stage_date"]}, "signed_date"
            )
        if found["first_contact_on"] and found["first_contact_on"] > values["signed_date"]:
            raise RowError(
                _("签约日期不能早于项目的首次接洽日期（%(date)s）") % {"date": found["first_contact_on"]},
                "signed_date",
            )
        if found["completed_investment"] and values["total_investment"] < found["completed_investment"]:
            raise RowError(_("总投资不能小于项目已累计完成的投资"), "total_investment")

    def row_key(self, cleaned, context):
        return f"{cleaned['host_id']}\x1f{cleaned['key']}"

    def _found(self, keys):
        """{key: project} for the keys whose project exists (one query)."""
        pairs = [key.split("\x1f", 1) for key in keys]
        hosts = {int(host) for host, _k in pairs}
        names = {name for _h, name in pairs}
        if not pairs:
            return {}
        found = Project.objects.filter(host_unit_id__in=hosts, dedupe_key__in=names).order_by()
        return {f"{p.host_unit_id}\x1f{p.dedupe_key}": p for p in found}

    def existing_keys(self, keys, context):
        # A row is in the system once its project's signing is recorded (confirmed or awaiting the verifier).
        found = self._found(keys)
        return {
            key for key, project in found.items() if project.stage in SIGNED_STAGES or project.signed_on is not None
        }

    def save_rows(self, cleaned_rows, context):
        from . import services

        actor = context.actor
        found = self._found([self.row_key(row, context) for row in cleaned_rows])
        units = {
            u.pk: u
            for u in Unit.objects.filter(
                pk__in={r["host_id"] for r in cleaned_rows}
                | {r["responsible_unit_id"] for r in cleaned_rows if r["responsible_unit_id"]}
            )
        }
        chains = self._chains({row["chain_id"] for row in cleaned_rows if row["chain_id"]})
        for row in cleaned_rows:
            facts = {
                "content": row["content"],
                "total_investment": row["total_investment"],
                "fixed_investment": row["fixed_investment"],
                "chain": chains.get(row["chain_id"]),
                "signing_form": row["signing_form"],
                "expected_start": row["expected_start"],
                "expected_production": row["expected_production"],
                "note": row["note"],
            }
            project = found.get(self.row_key(row, context))
            if project is None:
                project = services.create_project(
                    actor=actor,
                    host_unit=units[row["host_id"]],
                    name=row["name"],
                    investor_names=row["investor_names"],
                    stage=Stage.NEGOTIATING,
                    **facts,
                )
                if row["progress_note"]:
                    project = services.update_project(actor=actor, project=project, progress_note=row["progress_note"])
            else:
                # What the row says overrides; what it leaves empty stays as the project had it.
                changes = {k: v for k, v in facts.items() if v not in (None, "")}
                if row["progress_note"]:
                    changes["progress_note"] = row["progress_note"]
                project = services.update_project(
                    actor=actor, project=project, investor_names=row["investor_names"], **changes
                )
                if project.stage == Stage.PLANNED:
                    project = self._to_negotiating(project, row, actor)
            if row["leader_name"] or row["responsible_unit_id"]:
                self._assign(project, row, units, actor)
            services.record_imported_signing(actor=actor, project=project, happened_on=row["signed_date"])

    @staticmethod
    def _chains(ids):
        from chains.models import IndustryChain

        return {chain.pk: chain for chain in IndustryChain.objects.filter(pk__in=ids)} if ids else {}

    @staticmethod
    def _to_negotiating(project, row, actor):
        from . import services

        services.advance_stage(actor=actor, project=project, to=Stage.NEGOTIATING, happened_on=row["signed_date"])
        project.refresh_from_db()
        return project

    @staticmethod
    def _assign(project, row, units, actor):
        """Bind the row's 包联 leader (by name) and responsible unit; the service team stays as it was."""
        from . import services

        team = [member.user for member in project.team.select_related("user")]
        head = next((member.user for member in project.team.all() if member.is_head), None)
        leader_name = row["leader_name"] or project.leader_name
        # The leader's account stays linked only while the ledger names the same person.
        leader = project.leader if project.leader_id and leader_name == project.leader_name else None
        responsible = units.get(row["responsible_unit_id"]) if row["responsible_unit_id"] else project.responsible_unit
        services.set_assignment(
            actor=actor,
            project=project,
            leader=leader,
            leader_name=leader_name,
            responsible_unit=responsible,
            team=team,
            head=head,
        )

    # --- Exporting ---------------------------------------------------------------------------

    def export_queryset(self, org, user, **filters):
        records = Project.objects.all() if user is None else Project.objects.visible_to(user)
        records = records.filter(host_unit__path__startswith=org.path).annotate(signing_date=_signing_date())
        records = records.filter(signing_date__isnull=False)
        if filters.get("start"):
            records = records.filter(signing_date__gte=filters["start"])
        if filters.get("end"):
            records = records.filter(signing_date__lte=filters["end"])
        return records.select_related("host_unit", "chain", "responsible_unit").order_by("signing_date", "id")


signed_ledger = register(SignedProjectLedger())
