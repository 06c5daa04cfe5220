"""Every change to a project: enter it (or convert a lead), edit it, move its stage with evidence, confirm a
move (four eyes), bind its 包联 trio and 四包 duties, report monthly progress, amend it, list it in rounds.

Each service is one transaction; it locks the project first (two people moving the same
stage at once get one result and one clear refusal), re-checks inside who may make the
change, refuses a move STAGE_TRANSITIONS does not allow, and writes an audit record with
the old and the new values of every figure reported upward (domain.md §7). Pages, the API
and the ledger import call these and nothing else. Amounts are Decimal 万元.
"""

from .common import (  # noqa: F401
    AMOUNT_FIELDS,
    EARLIEST_DATE,
    EDITABLE_FIELDS,
    HOST_KINDS,
    MAX_AMOUNT,
    NOT_FOUND,
    PROJECT_AUDIT_FIELDS,
    STAGE_DATE_FIELD,
    city_of,
    in_team,
    is_host,
    is_office,
    is_responsible,
    may_manage,
    may_verify,
    may_work,
    parse_land,
    parse_money,
    project_key,
    project_settings_for,
    update_project_settings,
)
from .imports import (  # noqa: F401
    IMPORTED_SIGNING_REASON,
    attach_stage_evidence,
    record_imported_signing,
)
from .progress import (  # noqa: F401
    PROGRESS_FIELDS,
    month_start,
    progress_due,
    report_progress,
    signing_date,
)
from .projects import (  # noqa: F401
    amend_project,
    create_project,
    create_project_from_lead,
    set_assignment,
    set_duties,
    set_library,
    update_project,
)
from .rounds import (  # noqa: F401
    BATCH_STAGE,
    ROUND_FIELDS,
    add_to_round,
    create_round,
    remove_from_round,
)
from .stages import (  # noqa: F401
    advance_stage,
    allowed_moves,
    verify_stage,
)
