"""Ending a share: the office stops sharing a lead with a unit, on the lead's page and through the API.

And the lead actions' base view: an action that forgets to name its service is a
configuration error that says what to define, not a bare NotImplementedError.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from core.testing import Case, api_client_for, login_as, run_matrix
from leads import services
from leads.choices import LeadEventKind
from leads.forms import AcceptForm
from leads.models import Lead, LeadEvent, LeadShare
from leads.views import LeadActionView

from .test_views import CITY_READERS, EVERYONE_ELSE, counts, only


@pytest.fixture
def world(org, other_county_staff, zone_staff):
    org.people["other_county"] = other_county_staff
    org.people["other_team"] = org.other_team_member
    org.people["zone"] = zone_staff
    return org


@pytest.fixture
def shared(world, accepted):
    """A lead 盐湖区 holds, shared with 运城经开区."""
    lead = accepted(name="盐湖区共享给经开区的线索")
    services.share_lead(actor=world["office"], lead=lead, unit=world.zone)
    return lead


def page(world, persona, lead):
    return login_as(Client(), world[persona]).get(lead.get_absolute_url()).content.decode()


def unshare_url(lead):
    return reverse("leads:lead_unshare", args=[lead.pk])


def test_the_office_ends_a_share_from_the_leads_page_and_the_unit_no_longer_sees_it(world, shared):
    assert Lead.objects.visible_to(world["zone"]).filter(pk=shared.pk).exists()
    assert f'data-testid="submit-unshare-{world.zone.pk}"' in page(world, "office", shared)
    for persona in ("county", "team_member", "leader", "zone"):
        assert "submit-unshare" not in page(world, persona, shared), persona
    client = login_as(Client(), world["office"])
    response = client.post(unshare_url(shared), {"unshare-unit": world.zone.pk})
    assert response.status_code == 302 and response["Location"] == shared.get_absolute_url()
    assert not LeadShare.objects.exists()
    assert not Lead.objects.visible_to(world["zone"]).filter(pk=shared.pk).exists()
    line = LeadEvent.objects.filter(lead=shared, kind=LeadEventKind.SHARED).order_by("-id").first()
    assert (line.from_value, line.note) == ("运城经开区", "取消共享")
    assert "取消共享" in page(world, "office", shared)


def test_permission_matrix_for_ending_a_share(world, shared):
    readers_403 = dict.fromkeys(CITY_READERS[1:], 403)
    before = counts()
    cases = [
        # A unit the lead is not shared with: refused on the page by the form, nothing written.
        Case(
            unshare_url(shared),
            only(
                "office",
                county=403,
                team_leader=403,
                team_member=403,
                zone=403,
                **readers_403,
            ),
            method="post",
            data={"unshare-unit": world.other_county.pk},
            hidden={p: [shared.name] for p in EVERYONE_ELSE},
            shown={"office": ["该线索未共享给此单位"]},
        ),
    ]
    run_matrix(world, cases)
    assert counts() == before
    assert LeadShare.objects.filter(lead=shared, unit=world.zone).exists()


def test_the_api_ends_a_share_for_the_office_only(world, shared):
    url = f"/api/v1/leads/{shared.pk}/unshare/"
    before = counts()
    for persona in ("county", "zone", "team_member", "leader"):
        response = api_client_for(world[persona]).post(url, {"unit": world.zone.pk}, format="json")
        assert response.status_code == 403, persona
    for persona in ("other_county", "outsider"):
        response = api_client_for(world[persona]).post(url, {"unit": world.zone.pk}, format="json")
        assert response.status_code == 404, persona
    office = api_client_for(world["office"])
    response = office.post(url, {"unit": world.other_county.pk}, format="json")
    assert response.status_code == 400 and "该线索未共享给此单位" in response.json()["unit"][0]
    assert counts() == before
    response = office.post(url, {"unit": world.zone.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["shared_with"] == []
    assert api_client_for(world["zone"]).get(f"/api/v1/leads/{shared.pk}/").status_code == 404


def test_an_action_that_names_no_service_is_a_configuration_error_saying_what_to_define(world, shared):
    class ForgetfulView(LeadActionView):
        form_class = AcceptForm

    request = RequestFactory().post("/")
    request.user = world["county"]
    view = ForgetfulView()
    view.setup(request, pk=shared.pk)
    with pytest.raises(ImproperlyConfigured, match=r"ForgetfulView must define perform\(lead, form\)"):
        view.perform(shared, AcceptForm(lead=shared, user=world["county"]))
