"""What a target counts (every indicator is counted from the records, never typed in) and the templates of seed 000."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    VISITS = "visits", _("走访企业")
    UNIVERSITY_VISITS = "university_visits", _("其中走访高校")
    EFFECTIVE_LEADS = "effective_leads", _("实效线索")
    INSPECTIONS = "inspections", _("邀请来考察企业")
    SIGNED_PROJECTS = "signed_projects", _("签约项目")
    EVENTS = "events", _("专场推介会")
    SIGNED_INVESTMENT = "signed_investment", _("签约投资额（万元）")
    FUNDS_ARRIVED = "funds_arrived", _("到位资金（万元）")
    STARTED_PROJECTS = "started_projects", _("开工项目")
    PRODUCING_PROJECTS = "producing_projects", _("投产项目")
    DAYS_STATIONED = "days_stationed", _("驻点天数")
    OUTBOUND_TRIPS = "outbound_trips", _("外出招商次数")


# Indicators counted for a person rather than a unit.
PERSON_INDICATORS = {Indicator.DAYS_STATIONED, Indicator.OUTBOUND_TRIPS}
AMOUNT_INDICATORS = {Indicator.SIGNED_INVESTMENT, Indicator.FUNDS_ARRIVED}


class Template(models.TextChoices):
    """Seed 000's targets, filled for many units at once; every value stays editable afterwards."""

    ROUTINE_MONTHLY = "routine_monthly", _("驻点招商组月度常规目标")
    HUNDRED_DAYS = "hundred_days", _("百日大会战（每组）")
    CITY_1521 = "city_1521", _("全市“1521”目标")
    PEOPLE_YEARLY = "people_yearly", _("个人年度目标")


TEMPLATE_VALUES = {
    # Per team, per month: 20 visits incl. 2 universities, 10 leads, 5 invitations, 2 signed, 1 event.
    Template.ROUTINE_MONTHLY: {
        Indicator.VISITS: 20,
        Indicator.UNIVERSITY_VISITS: 2,
        Indicator.EFFECTIVE_LEADS: 10,
        Indicator.INSPECTIONS: 5,
        Indicator.SIGNED_PROJECTS: 2,
        Indicator.EVENTS: 1,
    },
    # 百日大会战, September to December 2022, per team: 60 / 30 / 15 / 6 / 3.
    Template.HUNDRED_DAYS: {
        Indicator.VISITS: 60,
        Indicator.EFFECTIVE_LEADS: 30,
        Indicator.INSPECTIONS: 15,
        Indicator.SIGNED_PROJECTS: 6,
        Indicator.EVENTS: 3,
    },
    # The city-wide "1521": 1000 companies connected, 500 effective leads, 200 invited, 100 signed.
    Template.CITY_1521: {
        Indicator.VISITS: 1000,
        Indicator.EFFECTIVE_LEADS: 500,
        Indicator.INSPECTIONS: 200,
        Indicator.SIGNED_PROJECTS: 100,
    },
    # People: team and squad leaders ≥ 30 days stationed a year; county and zone heads ≥ 6 trips a year.
    Template.PEOPLE_YEARLY: {Indicator.DAYS_STATIONED: 30, Indicator.OUTBOUND_TRIPS: 6},
}
