"""Two verifiers confirming the same move through the API at the same moment: one result and one clear refusal.

Needs a real PostgreSQL (concurrent writers); deselected on SQLite, run by CI there.
"""

import datetime
import threading

import pytest
from django.db import connections

from core.testing import api_client_for, make_person
from organizations.choices import Role
from projects import services
from projects.choices import Stage, Verification
from projects.models import Project, StageChange

from .conftest import pdf

ROUNDS = 5


def verify_at_once(change_pk, clients):
    """POST a verification from each client in its own thread, all released together; return the responses."""
    barrier = threading.Barrier(len(clients))
    responses, errors = [], []

    def worker(name, client, body):
        try:
            barrier.wait(timeout=10)
            response = client.post(f"/api/v1/stage-changes/{change_pk}/verify/", body, format="json")
            responses.append((name, response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001 - any other failure is reported by the assertion below
            errors.append((name, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=args) for args in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return responses


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_give_one_result_and_one_clear_refusal(org, make_project, walk):
    second = make_person("verifier2", org.city, Role.VERIFIER, "市核验员二")
    clients = [
        ("verifier", api_client_for(org.verifier), {"confirm": True, "note": "许可证已核"}),
        ("verifier2", api_client_for(second), {"confirm": False, "note": "许可证与项目不符"}),
    ]
    for round_ in range(ROUNDS):
        project = walk(make_project(name=f"并发核验项目{round_}"), Stage.SIGNED)
        change = services.advance_stage(
            actor=org["county"],
            project=project,
            to=Stage.STARTED,
            happened_on=datetime.date(2022, 6, 1),
            evidence_kind="permit",
            files=[pdf()],
        )
        responses = verify_at_once(change.pk, clients)
        statuses = sorted(code for _, code, _ in responses)
        assert statuses == [200, 400], responses
        [(winner, _, body)] = [r for r in responses if r[1] == 200]
        [(loser, _, refusal)] = [r for r in responses if r[1] == 400]
        message = " ".join(refusal["non_field_errors"])
        winner_name = "市核验员" if winner == "verifier" else "市核验员二"
        assert "已由" in message and winner_name in message, message
        change = StageChange.objects.get(pk=change.pk)
        project = Project.objects.get(pk=project.pk)
        if winner == "verifier":
            assert change.verification == Verification.CONFIRMED and body["verification"] == "confirmed"
            assert project.stage == Stage.STARTED and project.started_on == datetime.date(2022, 6, 1)
        else:
            assert change.verification == Verification.REJECTED and body["verification"] == "rejected"
            assert project.stage == Stage.SIGNED and project.started_on is None
        assert change.verified_by.username == winner
