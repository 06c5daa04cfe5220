"""What the project pages share: the tabs, who stands where to a project, the pager, putting errors on forms."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import scope_of
from core.views import attach_errors
from organizations.choices import Role

from .. import services

PER_PAGE = 25
NOT_FOUND = gettext_lazy("未找到该记录，或您无权查看。")
# Who enters projects and rounds: the city's office and the counties' and zones' staff.
MANAGER_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF)


def not_found():
    return Http404(NOT_FOUND)


def tabs(user):
    """The project pages a person has: all, the verifier's queue, the dispatch, the library, the rounds."""
    scope = scope_of(user)
    items = [("all", _("全部"), reverse("projects:project_list"))]
    if scope.has(Role.VERIFIER):
        items.append(("verify", _("待核验"), reverse("projects:verify_queue")))
    items += [
        ("dispatch", _("月度调度"), reverse("projects:dispatch")),
        ("library", _("项目库"), reverse("projects:library")),
        ("rounds", _("三个一批"), reverse("projects:round_list")),
    ]
    return items


def capacity(user, project):
    """In what capacity `user` stands to `project`, by the predicates the services enforce (they have the last word)."""
    manage = services.may_manage(user, project)
    return {
        "manage": manage,
        "work": manage or services.may_work(user, project),
        "verify": services.may_verify(user, project),
    }


def service_errors(form, exc, renames=None):
    """Put a service's ValidationError on the form, under the form's own names for its fields."""
    if renames and hasattr(exc, "error_dict"):
        exc = ValidationError({renames.get(field, field): errors for field, errors in exc.error_dict.items()})
    attach_errors(form, exc)


def paginate(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def page_query(request):
    """The query string of the page without its page number: the pager's links keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def list_url(**params):
    """The project list filtered as given (None and "" dropped): what a figure links to."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    url = reverse("projects:project_list")
    return f"{url}?{urlencode(params, doseq=True)}" if params else url
