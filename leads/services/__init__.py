"""Every change to a lead: report, assess, push, accept or send back, share, move between pools, follow up, close.

The seeds' method (000): every team reports its leads to the office; the office assesses
them together and pushes each to the county or zone that should take it; the county
follows it up to a signing. Each service here is one transaction, re-checks inside it
who may make the change (the lead is locked first, so two people acting at once get one
result and one clear refusal), refuses a move that STATUS_TRANSITIONS does not allow,
writes a LeadEvent for the lead's timeline and an audit record. Pages, the API and the
ledger import call these and nothing else.

Amounts are Decimal 万元. Conflicts between units courting the same investor (撞单,
seed 003) are found when a lead is reported and when a visit is logged.
"""

from .assessment import (  # noqa: F401
    accept_lead,
    assess_lead,
    reassign_lead,
    return_lead,
    share_lead,
    unshare_lead,
)
from .capture import (  # noqa: F401
    LEAD_EDITABLE,
    create_lead,
    create_lead_from_visit,
    update_lead,
)
from .common import (  # noqa: F401
    CONFLICT_AUDIT_FIELDS,
    CONFLICT_VISIT_DAYS,
    DEFAULT_GRADES,
    DUPLICATE_LEAD,
    EARLIEST_DATE,
    INACTIVE_STATUSES,
    LEAD_AUDIT_FIELDS,
    MAX_AMOUNT,
    NEGATIVE_LIST_AUDIT_FIELDS,
    NOT_FOUND,
    POOL_AUDIT_FIELDS,
    SETTINGS_AUDIT_FIELDS,
    lead_due_dates,
    lead_key,
    parse_estimated_amount,
)
from .conflicts import (  # noqa: F401
    OPEN_WORK_STATUSES,
    check_visit_conflicts,
    decide_conflict,
    detect_conflicts,
    open_leads_of,
    rekey_after_merge,
)
from .pools import (  # noqa: F401
    add_follow_up,
    close_lead,
    move_pool,
    reopen_lead,
)
from .settings import (  # noqa: F401
    NEGATIVE_LIST_DENIED,
    SETTINGS_LIMITS,
    delete_negative_list_entry,
    ensure_pools,
    first_pool,
    lead_settings_for,
    save_negative_list_entry,
    save_pool,
    update_lead_settings,
)
