"""An imported signing waits for its contract: those who work the project add it (page or API), and only then
can a verifier confirm it; nobody confirms a move that has no evidence."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.testing import api_client_for, login_as
from projects import services
from projects.choices import EvidenceKind, Stage, Verification
from projects.models import StageChange

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(org, make_project):
    project = make_project()
    change = services.record_imported_signing(
        actor=org["office"], project=project, happened_on=datetime.date(2022, 5, 1)
    )
    return project, change


def test_a_signing_without_its_contract_cannot_be_confirmed(org, imported):
    _project, change = imported
    with pytest.raises(ValidationError) as exc:
        services.verify_stage(actor=org.verifier, change=change, confirm=True)
    assert "佐证材料" in " ".join(exc.value.messages)
    assert StageChange.objects.get(pk=change.pk).verification == Verification.PENDING


def test_the_county_adds_the_contract_on_the_page_then_the_verifier_confirms(client, org, imported):
    project, change = imported
    login_as(client, org["county"])
    page = client.get(project.get_absolute_url()).content.decode()
    assert reverse("projects:project_evidence", args=[project.pk]) in page
    response = client.post(
        reverse("projects:project_evidence", args=[project.pk]),
        {"evidence-evidence_kind": EvidenceKind.CONTRACT, "evidence-files": [pdf()]},
    )
    assert response.status_code == 302
    assert change.attachments.count() == 1
    services.verify_stage(actor=org.verifier, change=change, confirm=True)
    project.refresh_from_db()
    assert project.signed_on == datetime.date(2022, 5, 1)


def test_the_wrong_kind_of_evidence_is_refused_on_the_page_and_nothing_is_attached(client, org, imported):
    project, change = imported
    login_as(client, org["county"])
    response = client.post(
        reverse("projects:project_evidence", args=[project.pk]),
        {"evidence-evidence_kind": EvidenceKind.PERMIT, "evidence-files": [pdf()]},
    )
    assert response.status_code == 200
    assert "签约合同/协议" in response.content.decode()
    assert change.attachments.count() == 0


def test_a_team_member_may_not_add_evidence_and_an_outsider_sees_nothing(client, org, imported):
    project, _change = imported
    url = reverse("projects:project_evidence", args=[project.pk])
    data = {"evidence-evidence_kind": EvidenceKind.CONTRACT, "evidence-files": [pdf()]}
    login_as(client, org["outsider"])
    assert client.post(url, data).status_code == 404
    login_as(client, org["department"])
    assert client.post(url, data).status_code in (403, 404)


def test_the_api_adds_the_contract(org, imported):
    project, change = imported
    api = api_client_for(org["county"])
    url = f"/api/v1/stage-changes/{change.pk}/evidence/"
    bad = api.post(url, {"evidence_kind": EvidenceKind.CONTRACT}, format="multipart")
    assert bad.status_code == 400 and "files" in bad.json()
    ok = api.post(url, {"evidence_kind": EvidenceKind.CONTRACT, "files": [pdf()]}, format="multipart")
    assert ok.status_code == 200, ok.content
    assert change.attachments.count() == 1
    assert api_client_for(org["outsider"]).post(url, {"evidence_kind": "contract"}).status_code == 404
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.pending
