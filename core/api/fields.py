"""Serializer fields shared by every API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice field's value, as the model's `get_<field>_display()` gives it.

    `CharField(source="get_status_display")` made DRF inspect that method's signature and translate its label again
    for every row and field (in a 50-row problem list, 250 signature inspections and 1,400 gettext calls): this
    reads the value and looks its label up in a table translated once per request (a serializer's fields are
    copied for each one).
    """

    def __init__(self, choice_field, **kwargs):
        self.choice_field = choice_field
        self._labels = None
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.choice_field)
        if self._labels is None:
            field = instance._meta.get_field(self.choice_field)
            self._labels = {key: str(label) for key, label in field.flatchoices}
        return self._labels.get(value, value)
