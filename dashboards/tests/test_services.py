"""The export service re-checks the unit against the actor's own, and audits what it exported."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from dashboards import selectors, services

from .builders import PERIOD

pytestmark = pytest.mark.django_db


def test_an_export_of_a_unit_the_actor_may_not_open_is_refused_and_nothing_is_written(org, world):
    figures = selectors.dashboard(org["office"], org.city, *PERIOD)
    audited = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.export_dashboard(actor=org["county"], unit=org.city, figures=figures)
    with pytest.raises(PermissionDenied):
        services.export_dashboard(actor=org["outsider"], unit=org.city, figures=figures)
    assert AuditEvent.objects.count() == audited


def test_an_export_is_audited_with_the_unit_and_period(org, world):
    figures = selectors.dashboard(org["county"], org.county, *PERIOD)
    figures["computed_at"] = "2024-06-01T09:30:00+08:00"
    content = services.export_dashboard(actor=org["county"], unit=org.county, figures=figures)
    assert content[:2] == b"PK"
    event = AuditEvent.objects.get(action="export", object_type="dashboards.dashboard")
    assert event.object_id == str(org.county.pk) and "2024-01-01" in event.message and "盐湖区" in event.message
