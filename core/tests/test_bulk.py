"""core.bulk.insert_rows: what a fast import writes reads back exactly as the ORM would have written it."""

import datetime
from decimal import Decimal

from core.bulk import insert_rows
from outreach.models import PromotionEvent


def test_inserted_rows_read_back_with_their_dates_amounts_and_timestamps(org):
    rows = [
        {
            "unit_id": org.team.pk,
            "title": f"推介会{i}",
            "event_date": datetime.date(2023, 4, i + 1),
            "place": "重庆",
            "co_organisers": "",
            "attendees": "",
            "attendee_count": None,
            "projects_signed": 7,
            "signed_amount": Decimal("235000.1234"),
            "remarks": "=1+1",
            "created_by_id": None,
        }
        for i in range(3)
    ]
    assert insert_rows(PromotionEvent, rows) == 3
    events = list(PromotionEvent.objects.order_by("event_date"))
    assert [e.event_date.day for e in events] == [1, 2, 3]
    assert events[0].signed_amount == Decimal("235000.1234")
    assert events[0].remarks == "=1+1" and events[0].attendee_count is None
    assert events[0].created_at is not None and events[0].created_at == events[0].updated_at
    assert insert_rows(PromotionEvent, []) == 0
