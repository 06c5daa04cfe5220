"""A database that is down gives a 503 page in Chinese, never a traceback; an unknown
address gives the Chinese 404 page.

The failing views live here, in a URL conf used only by these tests (`pytest.mark.urls`),
added to the project's own routes rather than written into config/urls.py.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import include, path

from core.testing import login_as

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "could not connect to server at 10.9.8.7 password=hunter2"


def database_down(request):
    raise OperationalError(SECRET_DETAIL)


def connection_lost(request):
    raise InterfaceError(SECRET_DETAIL)


class Unreachable:
    """A value whose rows are read only while the template renders, as a lazy queryset's are."""

    def __iter__(self):
        raise OperationalError(SECRET_DETAIL)


def database_down_while_rendering(request):
    template = engines["django"].from_string("{% for row in rows %}{{ row }}{% endfor %}")
    return TemplateResponse(request, template, {"rows": Unreachable()})


def some_other_error(request):
    raise ValueError("not a database problem")


def fine(request):
    return HttpResponse("好")


urlpatterns = [
    path("down/", database_down),
    path("lost/", connection_lost),
    path("down-late/", database_down_while_rendering),
    path("other/", some_other_error),
    path("fine/", fine),
    # The real routes too: pages and middleware reverse them (home, log out ...).
    path("", include("config.urls")),
]
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

with_failing_views = pytest.mark.urls(__name__)


def assert_unavailable_page(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "系统暂不可用" in body
    assert "数据库暂时无法连接" in body
    for leak in ("Traceback", "OperationalError", "InterfaceError", "10.9.8.7", "hunter2", 'File "'):
        assert leak not in body


@with_failing_views
@pytest.mark.parametrize("url", ["/down/", "/lost/", "/down-late/"])
def test_a_database_error_in_a_view_gives_the_503_page(url):
    assert_unavailable_page(Client().get(url))


@with_failing_views
def test_a_signed_in_user_gets_the_503_page_too(org):
    client = login_as(Client(), org["office"])
    assert_unavailable_page(client.get("/down/"))


@with_failing_views
def test_the_database_down_before_the_view_runs_gives_the_503_page(org):
    # The session is read from the database by the middleware, before any view runs.
    client = login_as(Client(raise_request_exception=False), org["office"])
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError(SECRET_DETAIL)
    ):
        response = client.get("/fine/")
    assert_unavailable_page(response)


@with_failing_views
def test_other_errors_are_not_reported_as_the_database(org):
    response = Client(raise_request_exception=False).get("/other/")
    assert response.status_code == 500
    assert "系统暂不可用" not in response.content.decode()


@with_failing_views
def test_a_working_view_is_untouched():
    response = Client().get("/fine/")
    assert response.status_code == 200
    assert response.content.decode() == "好"


def test_an_unknown_address_gives_the_chinese_404_page():
    response = Client().get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body
    assert "Not Found" not in body


def test_an_unknown_address_gives_the_chinese_404_page_when_signed_in(org):
    client = login_as(Client(), org["office"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
