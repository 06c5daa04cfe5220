"""Test data for the directory: companies, chains and outreach records straight into the database.

Services are tested on their own (test_services.py); pages and the API tests set their
scene with these so a failure points at the page, not at the set-up.
"""

import datetime
import itertools

from enterprises.identity import normalize_company_name
from enterprises.models import Company, Contact

_serial = itertools.count(1)


def make_company(owner, name, *, credit_code="", created_by_unit=None, **fields):
    return Company.objects.create(
        owner=owner,
        name=name,
        normalized_name=normalize_company_name(name),
        credit_code=credit_code,
        created_by_unit=created_by_unit,
        **fields,
    )


def make_contact(company, name="张总", phone="13912345678", title="总经理", **fields):
    return Contact.objects.create(company=company, name=name, phone=phone, title=title, **fields)


def make_chain(owner, name="铜精深加工", segments=(("upstream", "铜矿采选"), ("midstream", "电解铜"))):
    """A cluster with one chain and its segments; returns (chain, [segments])."""
    from chains.models import ChainSegment, IndustryChain, IndustryCluster

    cluster, _ = IndustryCluster.objects.get_or_create(owner=owner, name="有色金属集群")
    chain = IndustryChain.objects.create(cluster=cluster, name=name)
    made = [
        ChainSegment.objects.create(chain=chain, position=position, name=seg_name, sort_order=i)
        for i, (position, seg_name) in enumerate(segments)
    ]
    return chain, made


def make_visit(unit, company, content="了解投资意向", day=None, created_by=None, **fields):
    from outreach.models import Visit

    return Visit.objects.create(
        unit=unit,
        company=company,
        visit_date=day or datetime.date(2025, 3, 1),
        content=content,
        dedupe_key=f"test-visit-{next(_serial)}",
        created_by=created_by,
        **fields,
    )


def make_inspection(unit, company, day=None, places="运城经开区", **fields):
    from outreach.models import Inspection

    return Inspection.objects.create(
        unit=unit,
        company=company,
        inspection_date=day or datetime.date(2025, 3, 2),
        places=places,
        dedupe_key=f"test-inspection-{next(_serial)}",
        **fields,
    )


def make_event(unit, companies, title="运城（北京）招商推介会", day=None, **fields):
    from outreach.models import PromotionEvent

    event = PromotionEvent.objects.create(
        unit=unit, title=title, event_date=day or datetime.date(2025, 3, 3), place="北京", **fields
    )
    event.companies.set(companies)
    return event


def make_trip(unit, companies, destinations="深圳", day=None, **fields):
    from outreach.models import OutboundTrip

    start = day or datetime.date(2025, 3, 4)
    trip = OutboundTrip.objects.create(
        unit=unit, start_date=start, end_date=start + datetime.timedelta(days=2), destinations=destinations, **fields
    )
    trip.companies.set(companies)
    return trip
