"""What the project forms share: amounts typed as people write them, months, the units and people offered."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.parsing import ParseError, parse_date
from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit, User
from outreach.forms import MultipleFileField, MultipleFileInput

HOST_KINDS = (UnitKind.COUNTY, UnitKind.ZONE)
# Evidence is a scanned contract, a permit, a photo of the site or a sales record.
EVIDENCE_ACCEPT = "image/*,application/pdf,.doc,.docx,.xls,.xlsx,.ofd"
INVESTOR_SEPARATORS = re.compile(r"[、，,；;\n]+")
MONTH = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def amount_field(label, required=False, help_text=None):
    """An amount typed as people write it: 5000, 约5000万, 5亿元 (万元 unless the text says 亿)."""
    return forms.CharField(
        label=label,
        max_length=40,
        required=required,
        help_text=help_text if help_text is not None else _("以万元计，如 5000；也可写“约5000万”“5亿元”。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def evidence_files(label=None, required=False):
    return MultipleFileField(
        label=label or _("佐证材料"),
        required=required,
        help_text=_("合同、许可证的扫描件或现场照片：PDF、Word、Excel、OFD 或图片，每个文件不超过 20 MB。"),
        widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT, "multiple": True}),
    )


def split_names(text):
    return [name for name in (" ".join(part.split()) for part in INVESTOR_SEPARATORS.split(text or "")) if name]


def parse_month(value):
    """ "2024-05", "2024年5月" or a full date: the first day of that month."""
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = MONTH.match(str(value or ""))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
    try:
        found = parse_date(value)
    except ParseError:
        found = None
    if found is None:
        raise forms.ValidationError(_("请按“年-月”填写月份，如 2024-05。"))
    return found.replace(day=1)


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.CharField):
    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        return parse_month(value) if value else None


def host_units_for(user):
    """Counties and zones where the user may enter projects: their city's as office, their own as county staff."""
    scope = scope_of(user)
    allowed = scope.subtree_q("path", Role.OFFICE_STAFF) | scope.subtree_q("path", Role.COUNTY_STAFF)
    return Unit.objects.filter(allowed, kind__in=HOST_KINDS, active=True).order_by("path")


def city_units(city):
    """Every active unit of a city (responsible units, the units of the 四包 duties)."""
    return Unit.objects.filter(path__startswith=city.path, active=True).order_by("path")


def visible_people(user, *keep):
    people = User.objects.visible_to(user).filter(is_active=True)
    ids = [p.pk for p in keep if p is not None]
    if ids:
        people = people | User.objects.filter(pk__in=ids)
    return people.distinct().order_by("name", "username")
