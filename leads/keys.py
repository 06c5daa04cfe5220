"""The natural key of a lead: the same lead typed twice, or imported again, is found by it.

Shared by the services (a lead entered on a page or through the API) and the 《收集线索台账》
import, so a lead typed on a phone and the same lead in a team's Excel are recognised as
one. Same reporting unit, same day, same investor, same name (whitespace aside).
"""

import hashlib


def _squash(text):
    return " ".join((text or "").split())


def investor_key(*, company_id=None, normalized_name=""):
    """How a lead's investor enters its key: "c<id>" from the directory, "n:<normalised name>" before it is there.

    A lead naming no investor gives "n:". Once an imported company is entered in the
    directory, the stored key is computed again with its id (the ledger does that when it
    saves), so a later import of the same row, or the same lead typed, finds it.
    """
    if company_id:
        return f"c{company_id}"
    return f"n:{normalized_name or ''}"


def lead_key(*, unit_id, collected_date, investor_key, name):
    """sha1 over (reporting unit id, collection date, investor key, squashed name): 40 hex characters."""
    parts = (unit_id, collected_date.isoformat(), investor_key, _squash(name))
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8"), usedforsecurity=False).hexdigest()
