"""The office's problem categories and how many working days the departments have for each."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.scope import scope_of
from core.views import RoleRequiredMixin
from organizations.choices import Role, UnitKind
from organizations.models import Unit
from projects.views.common import service_errors

from .. import services
from ..forms import CategoryForm
from ..models import ProblemCategory
from .common import not_found, tabs


def office_cities(user):
    """The cities whose office the user works in (the categories are a city's)."""
    scope = scope_of(user)
    return Unit.objects.filter(scope.subtree_q("path", Role.OFFICE_STAFF), kind=UnitKind.CITY).order_by("path")


class CategoriesView(RoleRequiredMixin, TemplateView):
    """One form per category (name, due days, order, in use) and one to add a category; ?city= for an office
    over several cities."""

    template_name = "service/categories.html"
    required_roles = (Role.OFFICE_STAFF,)

    def city(self):
        cities = list(office_cities(self.request.user))
        wanted = self.request.GET.get("city") or self.request.POST.get("city")
        if wanted:
            found = next((c for c in cities if str(c.pk) == str(wanted)), None)
            if found is None:
                raise not_found()
            return found, cities
        if not cities:
            raise not_found()
        return cities[0], cities

    def get(self, request, *args, **kwargs):
        city, cities = self.city()
        return self.render_to_response(self.page(city, cities))

    def post(self, request, *args, **kwargs):
        city, cities = self.city()
        category = None
        if kwargs.get("pk"):
            category = ProblemCategory.objects.filter(owner=city, pk=kwargs["pk"]).first()
            if category is None:
                raise not_found()
        form = CategoryForm(request.POST, category=category)
        if form.is_valid():
            try:
                services.save_category(actor=request.user, owner=city, **form.service_kwargs())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("问题类别已保存。"))
                return redirect(f"{reverse('service:categories')}?city={city.pk}")
        return self.render_to_response(self.page(city, cities, form))

    def page(self, city, cities, bound=None):
        categories = services.categories_for(city)
        rows = []
        for category in categories:
            if bound is not None and bound.category is not None and bound.category.pk == category.pk:
                rows.append(bound)
            else:
                rows.append(CategoryForm(category=category))
        new = bound if bound is not None and bound.category is None else CategoryForm()
        return self.get_context_data(
            title=_("问题类别与办理时限"),
            city=city,
            cities=cities,
            rows=rows,
            new_form=new,
            tabs=tabs(self.request.user),
            tab="",
        )
