"""Fixtures for the outreach tests: uploads go to a temporary folder; a chain and companies to point at."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def chain(org):
    from chains.models import IndustryChain, IndustryCluster

    cluster = IndustryCluster.objects.create(owner=org.city, name="新材料集群")
    return IndustryChain.objects.create(cluster=cluster, name="铜精深加工")


@pytest.fixture
def other_city_chain(org):
    from chains.models import IndustryChain, IndustryCluster

    cluster = IndustryCluster.objects.create(owner=org.other_city, name="临汾集群")
    return IndustryChain.objects.create(cluster=cluster, name="临汾焦化")
