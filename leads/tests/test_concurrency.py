"""Two office users assessing the same lead at the same moment: one result and one clear refusal.

Needs a real PostgreSQL (concurrent writers); deselected on SQLite, run by CI there.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from leads import services
from leads.choices import LeadEventKind, LeadStatus
from leads.models import Lead, LeadEvent
from organizations.models import Unit, User

ROUNDS = 5


def assess_at_once(lead_pk, attempts):
    """Run each (username, unit id, grade) in its own thread, all released together; return results and errors."""
    barrier = threading.Barrier(len(attempts))
    results, errors = [], []

    def worker(username, unit_pk, grade):
        try:
            # Each thread reads its own objects on its own connection, as two requests would.
            actor = User.objects.get(username=username)
            unit = Unit.objects.get(pk=unit_pk)
            lead = Lead.objects.get(pk=lead_pk)
            barrier.wait(timeout=10)
            services.assess_lead(actor=actor, lead=lead, grade=grade, opinion=f"{username} 的意见", receiving_unit=unit)
            results.append(username)
        except ValidationError as exc:
            errors.append((username, exc))
        except Exception as exc:  # noqa: BLE001 - any other failure is reported by the assertion below
            errors.append((username, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_office_users_assessing_at_once_give_one_result_and_one_clear_refusal(org, make_lead, second_office):
    for round_ in range(ROUNDS):
        lead = make_lead(name=f"并发研判线索{round_}")
        results, errors = assess_at_once(
            lead.pk,
            [("office", org.county.pk, "A"), ("office2", org.other_county.pk, "B")],
        )
        assert len(results) == 1, (results, errors)
        assert len(errors) == 1, errors
        loser, error = errors[0]
        assert isinstance(error, ValidationError), repr(error)
        message = " ".join(error.messages)
        assert "该线索已由" in message and "研判" in message and "请刷新" in message, message
        winner = results[0]
        lead.refresh_from_db()
        assert lead.status == LeadStatus.DISPATCHED
        assert lead.assessed_by.username == winner
        assert lead.receiving_unit_id == (org.county.pk if winner == "office" else org.other_county.pk)
        assert winner in message or User.objects.get(username=winner).name in message
        assert LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.DISPATCHED).count() == 1
        assert LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.ASSESSED).count() == 1
