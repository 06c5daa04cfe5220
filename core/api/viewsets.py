"""Base API views every app builds on: scope on every read, a service for every write.

A viewset names its `model`, its output `serializer_class` and, per action, the serializer
that checks the shape of the request body (`input_serializer_classes`). Reads come from
`model.objects.visible_to(user)`; a write first fetches the object from what the user may
see (otherwise 404, so nothing out of scope is revealed), then requires it to be in
`editable_by(user)` (otherwise 403). The viewset then calls one service with the
validated data; the service re-checks the right inside its transaction and writes the
audit record. The answer is the object read back through the scoped queryset.

    class WidgetViewSet(ScopedModelViewSet):
        model = Widget
        serializer_class = WidgetSerializer
        filterset_class = WidgetFilterSet
        list_select_related = ("unit",)
        input_serializer_classes = {"create": WidgetCreateSerializer, "partial_update": WidgetUpdateSerializer}

        def create_object(self, data):
            return services.create_widget(actor=self.request.user, **data)

        def update_object(self, obj, data):
            return services.update_widget(actor=self.request.user, widget=obj, **data)
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.scope import forget_scope

from .exceptions import NOT_FOUND_MESSAGE
from .permissions import API_PERMISSION_CLASSES

NOT_EDITABLE_MESSAGE = _("您无权修改该记录。")


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a record the requesting user may see.

    A record out of the user's scope is refused exactly like one that does not exist, so
    the answer never reveals whether it exists.
    """

    default_error_messages = {
        "required": _("该字段是必填项。"),
        "null": _("该字段不能为空。"),
        "does_not_exist": _("编号为 {pk_value} 的记录不存在，或您无权查看。"),
        "incorrect_type": _("请填写记录的编号（整数）。"),
    }

    def __init__(self, model, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(getattr(request, "user", None))


def text(max_length=None, **kwargs):
    """An optional text input (blank allowed): the API's usual free-text field."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    if max_length:
        kwargs["max_length"] = max_length
    return serializers.CharField(**kwargs)


def ref(model, **kwargs):
    """An optional reference by id to a record the user may see (null clears it)."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return VisiblePrimaryKeyRelatedField(model, **kwargs)


class AmountField(serializers.CharField):
    """An amount as typed: a number, or text such as "约5000万" or "5亿元"; the services parse it (core.parsing)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)


class ChoiceListField(serializers.ListField):
    """A list of choices; a bad item gets one flat message on the field, not one keyed by position."""

    def __init__(self, choices, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=choices), **kwargs)

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as exc:
            details = exc.detail.values() if isinstance(exc.detail, dict) else [exc.detail]
            raise serializers.ValidationError([message for messages in details for message in messages])


class InputSerializer(serializers.Serializer):
    """Checks the shape of a request body; a key it does not know is an error, not silently ignored."""

    unknown_field_message = _("不能在此填写或修改该字段。")

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {name: [self.unknown_field_message] for name in sorted(set(data) - writable)}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Report the unknown keys together with the other errors, in one answer.
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown})
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class ScopedAutoSchema(AutoSchema):
    """OpenAPI: the request body of an action is its input serializer, the response the output one."""

    def get_request_serializer(self):
        inputs = getattr(self.view, "input_serializer_classes", {})
        action = getattr(self.view, "action", None)
        if action in inputs:
            return inputs[action]
        return super().get_request_serializer()


class ScopedViewSet(viewsets.GenericViewSet):
    """Scope, object fetching and the write pattern; add the mixins for the actions you need."""

    model = None
    permission_classes = API_PERMISSION_CLASSES
    schema = ScopedAutoSchema()
    # action name → serializer for its request body (None: the action takes no body).
    input_serializer_classes = {}
    # Related rows every serialised object needs, fetched up front so a page costs a fixed
    # number of queries however long it is.
    list_select_related = ()
    list_prefetch_related = ()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return self.optimize_queryset(queryset)

    def optimize_queryset(self, queryset):
        """Hook for select_related / prefetch_related / annotations; the defaults use the two tuples."""
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        prefetches = self.get_prefetches()
        if prefetches:
            queryset = queryset.prefetch_related(*prefetches)
        return queryset

    def get_prefetches(self):
        return list(self.list_prefetch_related)

    def is_write(self):
        return self.request.method not in SAFE_METHODS

    def get_object(self):
        """The object from what the user may see (404 otherwise); for a write, also from what they may change (403)."""
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        try:
            obj = self.get_queryset().get(pk=lookup)
        except (self.model.DoesNotExist, ValueError, TypeError, DjangoValidationError):
            raise Http404(NOT_FOUND_MESSAGE)
        if self.is_write():
            self.check_editable(obj)
        self.check_object_permissions(self.request, obj)
        return obj

    def check_editable(self, obj):
        if not self.model.objects.editable_by(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied(NOT_EDITABLE_MESSAGE)

    def get_input_serializer(self, *args, **kwargs):
        serializer_class = self.input_serializer_classes[self.action]
        kwargs.setdefault("context", self.get_serializer_context())
        return serializer_class(*args, **kwargs)

    def validated_input(self, partial=False):
        """The request body checked by the action's input serializer (400 with field errors if bad)."""
        if self.input_serializer_classes.get(self.action) is None:
            return {}
        serializer = self.get_input_serializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def respond(self, obj, status_code=status.HTTP_200_OK):
        """Answer with the object as the user now sees it, read back through the scoped queryset."""
        forget_scope(self.request.user)  # the write may have changed the actor's own roles
        fresh = self.get_queryset().filter(pk=obj.pk).first()
        return Response(self.get_serializer(fresh or obj).data, status=status_code)


class ServiceCreateMixin:
    """POST to the list: validate with input_serializer_classes['create'], then `create_object`."""

    def create(self, request, *args, **kwargs):
        data = self.validated_input()
        obj = self.create_object(data)
        return self.respond(obj, status.HTTP_201_CREATED)

    def create_object(self, data):
        # Each viewset names the service that creates its records.
        raise ImproperlyConfigured(f"{type(self).__name__} must define create_object(data) calling a service")


class ServiceUpdateMixin:
    """PATCH a record: the object must be editable; validate, then `update_object`. No PUT."""

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        data = self.validated_input(partial=True)
        obj = self.update_object(obj, data)
        return self.respond(obj)

    def update_object(self, obj, data):
        raise ImproperlyConfigured(f"{type(self).__name__} must define update_object(obj, data) calling a service")


class ScopedReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """List (paginated, filtered) and retrieve what the user may see."""


class ScopedModelViewSet(ServiceCreateMixin, ServiceUpdateMixin, ScopedReadOnlyViewSet):
    """List, retrieve, create and PATCH, every write through a service."""
