"""The Excel ledgers: one mechanism to import and export every ledger teams keep (domain.md §4).

A domain app describes its ledger (走访企业台账, 收集线索台账 …) as a `Ledger`: its columns
with their Chinese headers and parsers, how a row is checked, what makes two rows the
same, and how a batch is saved. It registers the ledger once; the upload page, the
export download and the management commands all find it by name.

Importing is all-or-nothing by default. Pass 1 streams the file and checks every row,
keeping in memory only short hashes of the row keys and the problems (the cleaned rows go
to a temporary file on disk); if any row is bad nothing is written and every bad row is
listed. Otherwise (or when the user chose to import only the good rows) pass 2 reads the
cleaned rows back and saves the new ones in batches inside one transaction, so a crash
half-way leaves nothing. Rows already in the database are
skipped, so importing the same file twice creates nothing the second time.
"""

import datetime
import hashlib
import io
import pickle
import tempfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .models import AuditAction
from .parsing import WAN, ParseError, display, is_blank, parse_amount, parse_date, parse_text, unit_from_header
from .scope import scope_of
from .spreadsheets import RefusedCell, SpreadsheetError, normalize_header, open_sheet

BATCH_SIZE = 1000
PREVIEW_ROWS = 20
# Who the audit log names when an import or export runs from the command line without --user.
SYSTEM_ACTOR_NAME = "命令行"
# Part of the file format, like the ledgers' own headers, so not translated: a file
# exported or rejected under one language must import under the other.
REJECTED_REASON_HEADER = "错误原因"
SERIAL_HEADER = "序号"
DATE_FORMAT = "yyyy年m月d日"
DATETIME_FORMAT = "yyyy年m月d日 hh:mm"
MAX_COLUMN_WIDTH = 60

# Roles whose holders keep ledgers: the office, the teams and the counties.
LEDGER_ROLES = ("office_staff", "team_leader", "team_member", "county_staff")


# --- Describing a ledger ------------------------------------------------------------------


def parse_text_cell(value, ctx):
    """The default column parser: the cell as text."""
    return parse_text(value)


def text(max_length=None):
    """A parser for a text column refusing more than `max_length` characters."""

    def parse(value, ctx):
        return parse_text(value, max_length)

    return parse


def date(value, ctx):
    """A parser for a date column: real Excel dates and the Chinese ways of typing them."""
    return parse_date(value)


def amount(value, ctx):
    """A parser for an amount column, in the unit the file's header declares (万元 or 亿元).

    The header as written in the file wins over the ledger's own: a team that keeps
    总投资 in 万元 says so in its header, and its figures are read as 万元.
    """
    unit = unit_from_header(ctx.header) or unit_from_header(ctx.column.header) or WAN
    return parse_amount(value, unit)


def choice(choices):
    """A parser for a column holding one of fixed labels: `choices` maps label → stored value.

    A TextChoices class may be given: its labels are what people type, its values what
    is stored. The labels of the ledger's own language (the file format's, Chinese) are
    always accepted, and those of the language the person uses as well. Anything else is
    refused with the list of what is allowed.
    """

    labels_by_language = {}

    def labels(language):
        # Labels are fixed per language: worked out once, not for every cell of a big file.
        found = labels_by_language.get(language)
        if found is None:
            with translation.override(language):
                if isinstance(choices, type) and issubclass(choices, models.Choices):
                    pairs = [(str(label), value) for value, label in choices.choices]
                else:
                    pairs = [(str(label), value) for label, value in dict(choices).items()]
            found = labels_by_language[language] = [(normalize_header(label), label, value) for label, value in pairs]
        return found

    def parse(value, ctx):
        if is_blank(value):
            return ""
        typed = normalize_header(parse_text(value))
        native = labels(settings.LANGUAGE_CODE)
        for key, _label, stored in native:
            if key == typed:
                return stored
        # Only a label not in the ledger's own language sends us to look up the person's.
        active = translation.get_language() or settings.LANGUAGE_CODE
        if active != settings.LANGUAGE_CODE:
            for key, _label, stored in labels(active):
                if key == typed:
                    return stored
        raise ParseError(
            _("「%(value)s」不是可选的值，可选：%(choices)s")
            % {"value": parse_text(value), "choices": "、".join(label for _key, label, _stored in native)}
        )

    return parse


@dataclass
class Column:
    """One column of a ledger, named by its exact Chinese header.

    `parse(value, ctx)` turns a cell into a Python value or raises ParseError; it is
    called for empty cells too (a text gives "", a date None). `export(obj)` gives the
    cell for a record; by default the record's attribute named `key`.
    """

    key: str
    header: str
    aliases: tuple = ()
    parse: object = parse_text_cell
    required: bool = False
    export: object = None

    def header_texts(self):
        """The header and its aliases: every way a team's file may name this column."""
        return (self.header, *self.aliases)

    def value_of(self, obj):
        """The cell an export writes for `obj`."""
        if self.export is not None:
            return self.export(obj)
        return getattr(obj, self.key, None)


class RowError(Exception):
    """A row-level check failed; `column` is the key of the column to blame (None: the row)."""

    def __init__(self, reason, column=None):
        super().__init__(reason)
        self.reason = str(reason)
        self.column = column


@dataclass(frozen=True)
class RowProblem:
    """One reason a row was refused: Excel row number, column header, the value as typed, why."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self):
        return asdict(self)

    def describe(self):
        """One line for a person: 第 R 行，列「C」，值「V」：原因."""
        return _("第 %(row)d 行，列「%(column)s」，值「%(value)s」：%(reason)s") % asdict(self)


class ImportContext:
    """What a ledger's hooks share during one import.

    `prepare` may hang its bulk lookups on it (units by name, people by name, existing
    keys …). While a cell is parsed, `column` is the Column and `header` the header text
    as written in the file (a parser reads the unit of an amount from it), and `row` is
    the Excel row number.
    """

    def __init__(self, *, ledger, actor, org, dry_run=False, good_rows_only=False):
        self.ledger = ledger
        self.actor = actor
        self.org = org
        self.dry_run = dry_run
        self.good_rows_only = good_rows_only
        self.headers = {}
        self.column = None
        self.header = None
        self.row = None


class Ledger:
    """A ledger a domain app defines and registers. Subclasses set the class attributes and hooks.

    Every hook that touches the database does it in bulk: `prepare` once before the rows,
    `existing_keys` and `save_rows` once per batch of rows.
    """

    name = ""
    title = ""
    columns = []
    # How many known headers a row must carry to be taken as the header row.
    min_header_matches = 4
    # Columns whose cleaned values make up a row's natural key (see `row_key`).
    key_columns = ()
    # Query-string names the export view passes on to `export_queryset`.
    export_filters = ()
    # Who imports (writes) the ledger, and who exports (reads) it: a ledger may be read by
    # more roles than write it (the office reads every team's ledger and writes none).
    roles = LEDGER_ROLES
    export_roles = None  # the same as `roles` unless a ledger says otherwise

    def allowed_orgs(self, user, *, export=False):
        """Units the user may import into (or, with `export`, export from): where they hold the roles, and below."""
        from organizations.models import Unit

        if user is None:
            return Unit.objects.none()
        roles = (self.export_roles or self.roles) if export else self.roles
        return Unit.objects.filter(active=True).filter(scope_of(user).subtree_q("path", *roles))

    def prepare(self, context):
        """Load what validating the rows needs, in bulk, once (lookups by name, and the like)."""

    def validate_row(self, values, context):
        """Cross-field checks on one row's parsed values; raise RowError or ValidationError; return the row."""
        return values

    def row_key(self, cleaned, context):
        """The row's natural key: two rows with the same key are the same record."""
        if not self.key_columns:
            raise ImproperlyConfigured(f"{type(self).__name__} must define key_columns or row_key")
        return "\x1f".join(display(cleaned.get(key)) for key in self.key_columns)

    def existing_keys(self, keys, context):
        """Which of `keys` are already in the database (one query for the batch)."""
        return set()

    def save_rows(self, cleaned_rows, context):
        """Write one batch of new rows (inside the import's transaction)."""
        # Each ledger says how its rows are stored; a ledger that forgets is a configuration error.
        raise ImproperlyConfigured(f"{type(self).__name__} must define save_rows(cleaned_rows, context)")

    def export_queryset(self, org, user, **filters):
        """The records of `org` to export, already scoped to what `user` may see."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define export_queryset(org, user, **filters)")

    def __str__(self):
        return self.title


_registry = {}


def register(ledger):
    """Make a ledger known to the import and export pages and commands; returns it."""
    if not ledger.name:
        raise ValueError("a ledger needs a name")
    _registry[ledger.name] = ledger
    return ledger


def unregister(name):
    """Forget a ledger (tests register toy ledgers and must leave the registry as they found it)."""
    _registry.pop(name, None)


def get_ledger(name):
    """The registered ledger called `name`; KeyError if there is none."""
    return _registry[name]


def ledgers():
    """Every registered ledger, by name: the command-line choices and any ledger menu."""
    return sorted(_registry.values(), key=lambda ledger: ledger.name)


# --- Importing ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import (or a dry run) found and did."""

    ledger: str
    title: str
    org_name: str
    dry_run: bool
    good_rows_only: bool
    headers: list = field(default_factory=list)
    total_rows: int = 0
    new_rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    rejected: int = 0
    problem_count: int = 0
    problems: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        """True when the file can be (or was) imported as asked: no bad row, or only good rows wanted."""
        return self.rejected == 0 or self.good_rows_only

    @property
    def problems_truncated(self):
        return self.problem_count > len(self.problems)

    def summary(self):
        """The counts as plain JSON, for an import job and the audit record."""
        return {
            "ledger": self.ledger,
            "title": self.title,
            "org": self.org_name,
            "total_rows": self.total_rows,
            "new_rows": self.new_rows,
            "created": self.created,
            "skipped_existing": self.skipped_existing,
            "rejected": self.rejected,
            "problem_count": self.problem_count,
            "good_rows_only": self.good_rows_only,
            "dry_run": self.dry_run,
            "written": self.written,
        }

    def message(self):
        return _("导入完成：新增 %(created)d 行，已存在跳过 %(skipped)d 行，拒绝 %(rejected)d 行") % {
            "created": self.created,
            "skipped": self.skipped_existing,
            "rejected": self.rejected,
        }


def _check_org(ledger, actor, org, *, export=False):
    # No actor is the command line: whoever runs manage.py already holds the server.
    if actor is not None and not ledger.allowed_orgs(actor, export=export).filter(pk=org.pk).exists():
        if export:
            raise PermissionDenied(_("您无权导出该单位的%(title)s") % {"title": ledger.title})
        raise PermissionDenied(_("您无权导入该单位的%(title)s") % {"title": ledger.title})


def _digest(key):
    # 8 bytes per row instead of the whole key: 200,000 rows stay a few MB.
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()


def locate_header(ledger, sheet):
    """Find the ledger's header row in `sheet`; SpreadsheetError if absent or a required column is missing."""
    known = {}
    for column in ledger.columns:
        for text_ in column.header_texts():
            known.setdefault(normalize_header(text_), column.key)
    header = sheet.find_header(known, min(ledger.min_header_matches, len(ledger.columns)))
    missing = [column.header for column in ledger.columns if column.required and column.key not in header.texts]
    if missing:
        raise SpreadsheetError(
            _("缺少必填的列：%(columns)s") % {"columns": "、".join(f"「{name}」" for name in missing)}
        )
    return header


def _header_of(ledger, header, key):
    if key in header.texts:
        return header.texts[key]
    for column in ledger.columns:
        if column.key == key:
            return column.header
    return ""


def import_ledger(ledger, fileobj, *, actor, org, good_rows_only=False, dry_run=False, rejected_out=None):
    """Import a ledger file into `org`, checking every row first; returns an ImportResult.

    Nothing is written if any row is bad, unless `good_rows_only`; rows whose key is
    already in the database are skipped, not errors. `dry_run` checks and previews only.
    `rejected_out`, a binary file object, receives the rejected rows as a workbook (see
    `rejected_rows_workbook`). `actor` None means the command line (no scope check).
    Raises PermissionDenied for an org outside the actor's, SpreadsheetError for a file
    refused as a whole.
    """
    _check_org(ledger, actor, org)
    context = ImportContext(ledger=ledger, actor=actor, org=org, dry_run=dry_run, good_rows_only=good_rows_only)
    result = ImportResult(
        ledger=ledger.name,
        title=ledger.title,
        org_name=str(org),
        dry_run=dry_run,
        good_rows_only=good_rows_only,
        headers=[column.header for column in ledger.columns],
    )
    with open_sheet(fileobj) as sheet:
        header = locate_header(ledger, sheet)
        context.headers = dict(header.texts)
        ledger.prepare(context)
        run = _Import(ledger, sheet, header, context, result)
        try:
            run.check_rows(rejected_out)
            if not dry_run and result.ok:
                run.write_rows()
        finally:
            if run.spool is not None:
                run.spool.close()
    return result


class _Import:
    """One import's two passes over the file, sharing what pass 1 learnt."""

    def __init__(self, ledger, sheet, header, context, result):
        self.ledger = ledger
        self.sheet = sheet
        self.header = header
        self.context = context
        self.result = result
        self.bad_rows = set()
        positions = {key: index for index, key in header.columns.items()}
        # (column, position in the row or None, header text as in the file), worked out once.
        self.plan = [
            (column, positions.get(column.key), header.texts.get(column.key, column.header))
            for column in ledger.columns
        ]
        self.positions = positions
        # Pass 1 keeps each good row, cleaned, in a temporary file on disk (not in memory), so
        # pass 2 writes them without reading and checking the workbook a second time.
        self.spool = None if context.dry_run else tempfile.TemporaryFile()  # noqa: SIM115 -- closed in write_rows

    def clean(self, number, values):
        """Parse and validate one row: (cleaned values, []) or (None, problems)."""
        context = self.context
        context.row = number
        cleaned = {}
        problems = []
        width = len(values)
        for column, index, header_text in self.plan:
            value = values[index] if index is not None and index < width else None
            if isinstance(value, RefusedCell):
                problems.append(RowProblem(number, header_text, value.text, value.reason))
                continue
            if column.required and is_blank(value):
                problems.append(RowProblem(number, header_text, "", _("必填项，不能为空")))
                continue
            context.column = column
            context.header = header_text
            try:
                cleaned[column.key] = column.parse(value, context)
            except ParseError as exc:
                problems.append(RowProblem(number, header_text, display(value), str(exc)))
        if problems:
            return None, problems
        try:
            return self.ledger.validate_row(cleaned, context), []
        except RowError as exc:
            return None, [self.problem(number, values, exc.column, exc.reason)]
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return None, [self.problem(number, values, None, message) for message in exc.messages]
            found = []
            for key, messages in exc.message_dict.items():
                # "__all__" is Django's name for "no one field".
                column = None if key == "__all__" else key
                found.extend(self.problem(number, values, column, message) for message in messages)
            return None, found

    def problem(self, number, values, key, reason):
        if key is None:
            return RowProblem(number, "", "", str(reason))
        index = self.positions.get(key)
        value = values[index] if index is not None and index < len(values) else None
        return RowProblem(number, _header_of(self.ledger, self.header, key), display(value), str(reason))

    def check_rows(self, rejected_out):
        """Pass 1: parse and validate every row; count new, existing and bad rows; keep only key hashes."""
        ledger, context, result = self.ledger, self.context, self.result
        max_errors = getattr(settings, "ZS_IMPORT_MAX_REPORTED_ERRORS", 1000)
        writer = _RejectedWriter(ledger, self.header, rejected_out) if rejected_out is not None else None
        seen = {}
        pending = []

        def count_existing():
            result.skipped_existing += len(ledger.existing_keys(pending, context))
            pending.clear()

        for number, values in self.sheet.data_rows(self.header):
            result.total_rows += 1
            cleaned, problems = self.clean(number, values)
            if cleaned is not None:
                key = ledger.row_key(cleaned, context)
                digest = _digest(key)
                first = seen.get(digest)
                if first is not None:
                    problems = [RowProblem(number, "", "", _("与第 %(row)d 行重复") % {"row": first})]
                else:
                    seen[digest] = number
                    pending.append(key)
                    if self.spool is not None:
                        pickle.dump((cleaned, key), self.spool, protocol=pickle.HIGHEST_PROTOCOL)
                    if len(result.preview) < PREVIEW_ROWS:
                        result.preview.append([display(cleaned.get(column.key)) for column in ledger.columns])
                    if len(pending) >= BATCH_SIZE:
                        count_existing()
            if problems:
                self.bad_rows.add(number)
                result.rejected += 1
                result.problem_count += len(problems)
                room = max_errors - len(result.problems)
                if room > 0:
                    result.problems.extend(problems[:room])
                if writer is not None:
                    writer.write(number, values, problems)
        if pending:
            count_existing()
        result.new_rows = len(seen) - result.skipped_existing
        if writer is not None:
            writer.close()

    def write_rows(self):
        """Pass 2: save the good new rows pass 1 kept, in batches, all in one transaction."""
        ledger, context, result = self.ledger, self.context, self.result
        batch = []

        def flush():
            existing = ledger.existing_keys([key for _cleaned, key in batch], context)
            new = [cleaned for cleaned, key in batch if key not in existing]
            result.skipped_existing += len(batch) - len(new)
            if new:
                ledger.save_rows(new, context)
                result.created += len(new)
            batch.clear()

        spool = self.spool
        spool.seek(0)
        with spool, transaction.atomic():
            # Scope is checked again inside the transaction: a role revoked since pass 1 stops the write.
            _check_org(ledger, context.actor, context.org)
            # Pass 1's count was a forecast; what pass 2 finds in the database is what happened.
            result.skipped_existing = 0
            while True:
                try:
                    batch.append(pickle.load(spool))  # noqa: S301 -- our own temporary file, written by pass 1
                except EOFError:
                    break
                if len(batch) >= BATCH_SIZE:
                    flush()
            if batch:
                flush()
            result.written = True
            audit.record(
                action=AuditAction.IMPORT,
                actor=context.actor,
                actor_name=None if context.actor is not None else SYSTEM_ACTOR_NAME,
                object_type=f"ledger.{ledger.name}",
                object_id=str(context.org.pk),
                object_repr=f"{context.org}{ledger.title}",
                after=result.summary(),
                message=_(
                    "导入%(title)s（%(org)s）：新增 %(created)d 行，已存在跳过 %(skipped)d 行，拒绝 %(rejected)d 行"
                )
                % {
                    "title": ledger.title,
                    "org": context.org,
                    "created": result.created,
                    "skipped": result.skipped_existing,
                    "rejected": result.rejected,
                },
            )


# --- Writing workbooks --------------------------------------------------------------------


def _new_workbook(out):
    # Strings are never turned into formulas, links or numbers: a cell typed "=1+1" or
    # "+86 138…" stays exactly the text it was (and can never run in someone's Excel).
    return xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": DATE_FORMAT,
        },
    )


def _text_width(value):
    # A Chinese character is about twice as wide as a Latin one.
    longest = max((len(line) + sum(1 for ch in line if ord(ch) > 0x2E7F) for line in value.split("\n")), default=0)
    return min(longest + 2, MAX_COLUMN_WIDTH)


class _CellWriter:
    """Writes Python values as proper Excel cells: dates as dates, numbers as numbers, text as text."""

    def __init__(self, workbook, worksheet, ncols):
        self.worksheet = worksheet
        self.date_format = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime_format = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.widths = [0] * ncols

    def write(self, row, col, value):
        ws = self.worksheet
        if value is None:
            return
        if isinstance(value, RefusedCell):
            value = value.text
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            ws.write_datetime(row, col, value, self.datetime_format)
            self._widen(col, 18)
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, value, self.date_format)
            self._widen(col, 14)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(row, col, float(value))
            self._widen(col, len(display(value)) + 2)
        else:
            text_ = str(value)
            # write_string always: a value starting with = + - @ is text, never a formula.
            ws.write_string(row, col, text_)
            self._widen(col, _text_width(text_))

    def _widen(self, col, width):
        self.widths[col] = max(self.widths[col], width)

    def set_widths(self, minimum=8):
        for col, width in enumerate(self.widths):
            self.worksheet.set_column(col, col, max(width, minimum))


def _write_headers(workbook, worksheet, row, headers, cells):
    fmt = workbook.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center"})
    for col, text_ in enumerate(headers):
        worksheet.write_string(row, col, text_, fmt)
        cells._widen(col, _text_width(text_))


class _RejectedWriter:
    """The rejected rows as they were typed, under the ledger's headers, with why each was refused."""

    def __init__(self, ledger, header, out):
        self.out = out
        self.positions = {key: index for index, key in header.columns.items()}
        self.keys = [column.key for column in ledger.columns]
        headers = [_header_of(ledger, header, key) for key in self.keys] + [REJECTED_REASON_HEADER]
        self.workbook = _new_workbook(out)
        self.worksheet = self.workbook.add_worksheet(ledger.title[:31] or "Sheet1")
        self.cells = _CellWriter(self.workbook, self.worksheet, len(headers))
        self.reason_format = self.workbook.add_format({"font_color": "#C00000", "text_wrap": True})
        _write_headers(self.workbook, self.worksheet, 0, headers, self.cells)
        self.worksheet.freeze_panes(1, 0)
        self.next_row = 1
        self.rows = 0

    def write(self, number, values, problems):
        for col, key in enumerate(self.keys):
            index = self.positions.get(key)
            if index is not None and index < len(values):
                self.cells.write(self.next_row, col, values[index])
        reasons = "；".join(f"「{p.column}」{p.reason}" if p.column else p.reason for p in problems)
        reason = _("第 %(row)d 行：%(reasons)s") % {"row": number, "reasons": reasons}
        self.worksheet.write_string(self.next_row, len(self.keys), reason, self.reason_format)
        self.cells._widen(len(self.keys), _text_width(reason))
        self.next_row += 1
        self.rows += 1

    def close(self):
        self.cells.set_widths()
        self.workbook.close()


def rejected_rows_workbook(ledger, fileobj, problems):
    """An .xlsx of the rows `problems` name, as typed, plus a last column 错误原因; returns its bytes.

    The person fixes the rows in it and imports it again: the headers are the ones their
    file used (so an amount keeps its unit), and the reason column is ignored on import.
    """
    by_row = {}
    for problem in problems:
        if isinstance(problem, dict):
            problem = RowProblem(**problem)  # noqa: PLW2901 -- as stored on an import job
        by_row.setdefault(problem.row, []).append(problem)
    out = io.BytesIO()
    with open_sheet(fileobj) as sheet:
        header = locate_header(ledger, sheet)
        writer = _RejectedWriter(ledger, header, out)
        if by_row:
            last = max(by_row)
            for number, values in sheet.data_rows(header):
                if number in by_row:
                    writer.write(number, values, by_row[number])
                if number >= last:
                    break
        writer.close()
    return out.getvalue()


def export_ledger(ledger, *, actor, org, out, **filters):
    """Write `org`'s ledger as .xlsx to `out` (a path or binary file); returns the number of rows.

    Layout: the title ("<单位><台账>") merged across row 1, the headers in row 2, records
    from row 3 with 序号 1..n. Dates are real Excel dates, amounts numbers, and every text
    is written as text. Streams (constant memory) and is audited.
    """
    _check_org(ledger, actor, org, export=True)
    headers = [SERIAL_HEADER] + [column.header for column in ledger.columns]
    workbook = _new_workbook(out)
    worksheet = workbook.add_worksheet(ledger.title[:31] or "Sheet1")
    cells = _CellWriter(workbook, worksheet, len(headers))
    title = f"{org}{ledger.title}"
    title_format = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    worksheet.set_row(0, 30)
    if len(headers) > 1:
        worksheet.merge_range(0, 0, 0, len(headers) - 1, title, title_format)
    else:
        worksheet.write_string(0, 0, title, title_format)
    _write_headers(workbook, worksheet, 1, headers, cells)
    worksheet.freeze_panes(2, 0)
    count = 0
    queryset = ledger.export_queryset(org, actor, **filters)
    rows = queryset.iterator(chunk_size=2000) if hasattr(queryset, "iterator") else iter(queryset)
    # Cells hold the ledger's own labels (敲门招商, 链主 …) whatever language the person uses:
    # the file is the format teams exchange, and it must import again anywhere.
    with translation.override(settings.LANGUAGE_CODE):
        for count, obj in enumerate(rows, start=1):
            row = count + 1
            worksheet.write_number(row, 0, count)
            for col, column in enumerate(ledger.columns, start=1):
                cells.write(row, col, column.value_of(obj))
    cells.set_widths()
    workbook.close()
    audit.record(
        action=AuditAction.EXPORT,
        actor=actor,
        actor_name=None if actor is not None else SYSTEM_ACTOR_NAME,
        object_type=f"ledger.{ledger.name}",
        object_id=str(org.pk),
        object_repr=title,
        after={"rows": count, "filters": filters},
        message=_("导出%(title)s：共 %(count)d 行") % {"title": title, "count": count},
    )
    return count
