"""Natural keys of ledger rows: the same visit typed twice, or imported again, is found by these.

Shared by the services (entry on a page or the API) and the ledger import, so a visit
entered on a phone and the same visit in last year's Excel are recognised as one.
"""

import hashlib


def _digest(*parts):
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def _squash(text):
    return " ".join((text or "").split())


def visit_key(*, unit_id, visit_date, company_id, content):
    """Same unit, same day, same company, same content (whitespace aside): the same visit."""
    return _digest(unit_id, visit_date.isoformat(), company_id, _squash(content))


def inspection_key(*, unit_id, inspection_date, company_id):
    """One inspection by a company per day for an inviting unit."""
    return _digest(unit_id, inspection_date.isoformat(), company_id)
