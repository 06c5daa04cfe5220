"""How a visit was arranged (走访方式, the column of 《走访企业台账》)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitWay(models.TextChoices):
    KNOCKING = "knocking", _("敲门招商")
    VIA_BUSINESS = "via_business", _("以商招商")
    VIA_CHAMBER = "via_chamber", _("商会招商")
    VIA_AGENT = "via_agent", _("中介招商")
    OTHER = "other", _("其他")
