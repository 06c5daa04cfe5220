"""Forms for the project pages: they check the shape of what a page sends; projects.services decides.

Amounts are text fields on purpose: people type "约5000万" or "5亿元", and the services
parse them (services.parse_money) or say why they cannot. Each form takes the user (its
choices are what the user may see or work with) and, for the actions on a project, the
project; `service_kwargs()` gives what the service takes, under the service's names.

- common.py: amounts, months, the host units, the city's units and the people offered;
- projects.py: a project's facts (new, corrected, from a lead), 包联 and 四包;
- actions.py: the actions on a project's page;
- reading.py: the rounds, the counting rules, the filters of the reading pages.
"""

from .actions import ActionForm, AmendForm, EvidenceForm, LibraryForm, MoveStageForm, ProgressForm, VerifyForm
from .common import MonthField, amount_field, host_units_for, parse_month, split_names
from .projects import AssignmentForm, DutiesForm, FromLeadForm, ProjectForm
from .reading import (
    ROUND_STAGES,
    DispatchForm,
    ProjectChoiceField,
    ProjectSettingsForm,
    RatesForm,
    RoundEntryForm,
    RoundForm,
    UnitFilterForm,
)

__all__ = [
    "ROUND_STAGES",
    "ActionForm",
    "AmendForm",
    "AssignmentForm",
    "EvidenceForm",
    "DispatchForm",
    "DutiesForm",
    "FromLeadForm",
    "LibraryForm",
    "MonthField",
    "MoveStageForm",
    "ProgressForm",
    "ProjectChoiceField",
    "ProjectForm",
    "ProjectSettingsForm",
    "RatesForm",
    "RoundEntryForm",
    "RoundForm",
    "UnitFilterForm",
    "VerifyForm",
    "amount_field",
    "host_units_for",
    "parse_month",
    "split_names",
]
