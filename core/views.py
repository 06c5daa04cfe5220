"""Base views every app builds on, the home page and the error pages.

The base views apply scope: an object the user may not see is a 404 (its existence is
not revealed); one they may see but not change is a 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .paging import DeferredJoinPaginator
from .scope import scope_of


class RoleRequiredMixin(LoginRequiredMixin):
    """Allow the view only to holders of one of `required_roles` (empty: any role)."""

    required_roles = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        scope = scope_of(request.user)
        if self.required_roles and not scope.has(*self.required_roles):
            raise PermissionDenied(_("您的角色无权使用此页面。"))
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin(RoleRequiredMixin):
    """Fetch the object from what the user may see: anything else is a 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404(_("未找到该记录，或您无权查看。"))


class EditableObjectMixin(ScopedObjectMixin):
    """A visible object the user may not change is a 403, an invisible one a 404."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.model.objects.editable_by(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("您无权修改该记录。"))
        return obj


class ServiceFormMixin:
    """Run a service with the form's data; its ValidationError lands on the form, nothing is written."""

    success_message = ""
    # Forms whose choices depend on the user's scope take the user as a keyword.
    form_takes_user = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        return kwargs

    def service_response(self, form, call, redirect_to):
        """Run `call`; show the form again with the service's errors, or redirect to `redirect_to(result)`."""
        result = self.run_service(form, call)
        if result is None:
            return self.form_invalid(form)
        return redirect(redirect_to(result))

    def run_service(self, form, call):
        try:
            result = call()
        except ValidationError as exc:
            attach_errors(form, exc)
            return None
        if self.success_message:
            messages.success(self.request, self.success_message)
        return result


class EditableObjectFormMixin(EditableObjectMixin, ServiceFormMixin):
    """A form acting on one object the user may change: fetched and scope-checked once, in dispatch."""

    object_attr = "object"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            setattr(self, self.object_attr, self.get_object())
        return super().dispatch(request, *args, **kwargs)


def attach_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


class ScopedListView(RoleRequiredMixin, SingleTableMixin, FilterView):
    """A paginated, filtered list of what the user may see: one FilterSet, one Table."""

    model = None
    per_page = 25
    # The table paginates; the ListView must not paginate (and count) a second time.
    paginate_by = None
    template_name = "core/list.html"
    title = ""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_table_pagination(self, table):
        # Deep pages join only their own rows (core.paging).
        return {"per_page": self.per_page, "paginator_class": DeferredJoinPaginator}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        return ctx

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["partials/table.html"]
        return [self.template_name]


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        scope = scope_of(user)
        memberships = user.memberships.filter(active=True).select_related("unit").order_by("unit__path")
        ctx["memberships"] = memberships
        ctx["roles"] = scope.roles
        ctx.update(home_reminders(user))
        return ctx


def home_reminders(user):
    """The 待办提醒 card: what is late now in the user's scope (every source, a fixed number of queries), and
    their unread notifications."""
    from reminders.selectors import HOME_UNREAD_SHOWN, unread_for

    from .reminders import collect

    unread = unread_for(user)
    return {
        "reminders": collect(user),
        "unread_notifications": list(unread[:HOME_UNREAD_SHOWN]),
        "unread_count": unread.count(),
    }


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("您无权访问此页面。")
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
