"""Form helpers every app's forms share."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy


class BootstrapMixin:
    """Give every widget the Bootstrap class it needs; call `self._style()` at the end of `__init__`."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    """A date field phones show their date picker for."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RecordActionForm(BootstrapMixin, forms.Form):
    """One action on one record's page (move a project's stage, assign a problem …).

    `name` names the action's URL (`url_prefix` + name, taking the record's pk) and its block on
    the page; the views pass the record under `record_kwarg` and the form keeps it under that name.
    """

    record_kwarg = ""
    url_prefix = ""
    name = ""
    title = ""
    submit_label = gettext_lazy("提交")
    button_class = "btn-primary"
    multipart = False

    def __init__(self, *args, user=None, **kwargs):
        self.record = kwargs.pop(self.record_kwarg, None)
        setattr(self, self.record_kwarg, self.record)
        self.user = user
        kwargs.setdefault("prefix", self.name)
        super().__init__(*args, **kwargs)
        self.setup()
        self._style()

    def setup(self):
        """Choices that depend on the record and the user."""

    @property
    def action_url(self):
        return reverse(f"{self.url_prefix}{self.name}", args=[self.record.pk])

    @property
    def block_id(self):
        return f"action-{self.name}"

    def service_kwargs(self):
        return dict(self.cleaned_data)
