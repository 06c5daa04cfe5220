"""Every change the chains app makes: the taxonomy, and each chain's "六个一" and policy package.

Split by subject; everything is importable from `chains.services`.
"""

from .promotion import (
    TEAM_KINDS,
    add_policy_document,
    leader_choices,
    remove_policy_document,
    set_chain_promotion,
    team_choices,
)
from .taxonomy import (
    add_chain_leader,
    add_segment,
    can_edit_taxonomy,
    create_chain,
    create_cluster,
    remove_chain_leader,
    remove_segment,
    segment_references,
    update_chain,
    update_cluster,
    update_segment,
)

__all__ = [
    "TEAM_KINDS",
    "add_chain_leader",
    "add_policy_document",
    "add_segment",
    "can_edit_taxonomy",
    "create_chain",
    "create_cluster",
    "leader_choices",
    "remove_chain_leader",
    "remove_policy_document",
    "remove_segment",
    "segment_references",
    "set_chain_promotion",
    "team_choices",
    "update_chain",
    "update_cluster",
    "update_segment",
]
