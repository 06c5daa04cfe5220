"""Two people taking the same step on one problem through the API at the same moment: one result, one clear refusal.

Needs a real PostgreSQL (concurrent writers); deselected on SQLite, run by CI there.
"""

import threading

import pytest
from django.db import connections

from core.testing import api_client_for, make_person
from organizations.choices import Role
from service import services
from service.choices import ProblemEventKind, ProblemStatus
from service.models import Problem, ProblemEvent

ROUNDS = 5


def post_at_once(url, clients):
    """POST from each client in its own thread, all released together; return (name, status, body) for each."""
    barrier = threading.Barrier(len(clients))
    responses, errors = [], []

    def worker(name, client, body):
        try:
            barrier.wait(timeout=10)
            response = client.post(url, body, format="json")
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


def one_winner(responses):
    assert sorted(code for _, code, _ in responses) == [200, 400], responses
    [winner] = [r for r in responses if r[1] == 200]
    [loser] = [r for r in responses if r[1] == 400]
    return winner, loser


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_of_the_lead_department_solving_at_once_give_one_answer_and_one_refusal(org, raise_one):
    second = make_person("zrzy2", org.department, Role.DEPARTMENT_STAFF, "自然资源局小孙")
    clients = [
        ("department", api_client_for(org["department"]), {"answer": "已安排用地指标", "solved": True}),
        ("zrzy2", api_client_for(second), {"answer": "已协调不动产登记", "solved": True}),
    ]
    for round_ in range(ROUNDS):
        problem = raise_one(title=f"并发办结问题{round_}")
        services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
        responses = post_at_once(f"/api/v1/problems/{problem.pk}/answer/", clients)
        (winner, _, body), (_, _, refusal) = one_winner(responses)
        message = " ".join(refusal["non_field_errors"])
        assert "已办结待确认" in message and "不能答复" in message, message
        problem = Problem.objects.get(pk=problem.pk)
        answer = dict((name, data["answer"]) for name, _, data in clients)[winner]
        assert problem.status == ProblemStatus.SOLVED and problem.answer == answer == body["answer"]
        assert ProblemEvent.objects.filter(problem=problem, kind=ProblemEventKind.SOLVED).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_give_one_grade_and_one_refusal(org, raise_one, team_member_of_project):
    clients = [
        ("office", api_client_for(org["office"]), {"satisfaction": 5, "note": "招商中心确认"}),
        ("zhuanban", api_client_for(team_member_of_project), {"satisfaction": 3, "note": "专班确认"}),
    ]
    for round_ in range(ROUNDS):
        problem = raise_one(title=f"并发确认问题{round_}")
        services.assign_problem(actor=org["office"], problem=problem, departments=[org.department])
        services.answer_problem(actor=org["department"], problem=problem, answer="已办结", solved=True)
        responses = post_at_once(f"/api/v1/problems/{problem.pk}/confirm/", clients)
        (winner, _, body), (_, _, refusal) = one_winner(responses)
        message = " ".join(refusal["non_field_errors"])
        assert "已确认办结" in message, message
        problem = Problem.objects.get(pk=problem.pk)
        grade = dict((name, data["satisfaction"]) for name, _, data in clients)[winner]
        assert problem.status == ProblemStatus.CLOSED and problem.satisfaction == grade == body["satisfaction"]
        assert ProblemEvent.objects.filter(problem=problem, kind=ProblemEventKind.CLOSED).count() == 1
