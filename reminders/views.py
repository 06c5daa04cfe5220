"""Pages under /reminders/: a person's notifications (mark read, mark all read), and the office's channels (add,
change, stop, send a test message) with its "立即发送提醒". Thin: a form checks the shape, one service acts.

A notification of someone else, or a channel of another city, is a 404 that never shows its name.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from core.background import uses_broker
from core.views import EditableObjectFormMixin, EditableObjectMixin, RoleRequiredMixin, ScopedListView, ServiceFormMixin

from . import selectors, services
from .filtersets import ChannelFilterSet, NotificationFilterSet
from .forms import ChannelEditForm, ChannelForm
from .models import CHANNEL_ROLES, Channel, Notification
from .tables import ChannelTable, NotificationTable

CHANNELS_URL = reverse_lazy("reminders:channel_list")
NOT_FOUND = gettext_lazy("未找到该记录，或您无权查看。")


def safe_next(request, default):
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else str(default)


# --- A person's notifications --------------------------------------------------------------------------------------


class NotificationListView(ScopedListView):
    """我的提醒: everything the daily run sent the user, newest first, unread marked."""

    model = Notification
    table_class = NotificationTable
    filterset_class = NotificationFilterSet
    template_name = "reminders/notification_list.html"
    title = gettext_lazy("我的提醒")

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread_count"] = selectors.unread_for(self.request.user).count()
        ctx["can_manage"] = selectors.channel_cities(self.request.user).exists()
        return ctx


class MarkReadView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        notification = selectors.notifications_for(request.user).filter(pk=pk).first()
        if notification is None:
            raise Http404(NOT_FOUND)
        services.mark_read(actor=request.user, notification=notification)
        return redirect(safe_next(request, reverse("reminders:notification_list")))


class MarkAllReadView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = services.mark_all_read(actor=request.user)
        messages.success(request, _("已将 %(n)d 条提醒标为已读。") % {"n": count})
        return redirect(safe_next(request, reverse("reminders:notification_list")))


# --- The office's channels -----------------------------------------------------------------------------------------


class ChannelListView(ScopedListView):
    """提醒渠道: the city's e-mail and group robots, each with its last attempt; the "立即发送提醒" button."""

    model = Channel
    table_class = ChannelTable
    filterset_class = ChannelFilterSet
    template_name = "reminders/channel_list.html"
    required_roles = CHANNEL_ROLES
    title = gettext_lazy("提醒渠道")

    def get_queryset(self):
        return selectors.channels_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cities"] = list(selectors.channel_cities(self.request.user))
        return ctx


class ChannelCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    form_class = ChannelForm
    form_takes_user = True
    template_name = "reminders/channel_form.html"
    required_roles = CHANNEL_ROLES
    success_message = gettext_lazy("提醒渠道已保存。")

    def form_valid(self, form):
        data = form.cleaned_data
        return self.service_response(
            form,
            lambda: services.create_channel(
                actor=self.request.user,
                owner=data["owner"],
                name=data["name"],
                kind=data["kind"],
                webhook_url=data.get("webhook_url", ""),
                secret=data.get("secret", ""),
                kinds=list(data.get("kinds") or []),
                active=data.get("active", False),
            ),
            lambda _c: CHANNELS_URL,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("新增提醒渠道")
        ctx["cancel_url"] = CHANNELS_URL
        return ctx


class ChannelEditView(EditableObjectFormMixin, FormView):
    model = Channel
    form_class = ChannelEditForm
    template_name = "reminders/channel_form.html"
    required_roles = CHANNEL_ROLES
    success_message = gettext_lazy("提醒渠道已修改。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "channel": self.object}

    def get_initial(self):
        c = self.object
        return {"name": c.name, "webhook_url": c.webhook_url, "kinds": c.kinds, "active": c.active}

    def form_valid(self, form):
        return self.service_response(
            form,
            lambda: services.update_channel(actor=self.request.user, channel=self.object, **form.service_kwargs()),
            lambda _c: CHANNELS_URL,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("修改提醒渠道：%(name)s") % {"name": self.object.name}
        ctx["channel"] = self.object
        ctx["cancel_url"] = CHANNELS_URL
        return ctx


class ChannelActionView(EditableObjectMixin, View):
    """A button on the channel list (POST): a channel not of the user's city is a 404, as on its page."""

    model = Channel
    http_method_names = ["post"]

    def post(self, request, pk):
        channel = self.get_object()
        try:
            self.act(channel)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(CHANNELS_URL)


class ChannelDeactivateView(ChannelActionView):
    def act(self, channel):
        services.deactivate_channel(actor=self.request.user, channel=channel)
        messages.success(self.request, _("已停用“%(name)s”。") % {"name": channel.name})


class ChannelTestView(ChannelActionView):
    def act(self, channel):
        error = services.send_test_message(actor=self.request.user, channel=channel)
        if error:
            messages.error(
                self.request, _("“%(name)s”测试消息发送失败：%(error)s") % {"name": channel.name, "error": error}
            )
        else:
            messages.success(self.request, _("已向“%(name)s”发送测试消息。") % {"name": channel.name})


class SendForm(forms.Form):
    city = forms.IntegerField(required=False)


class SendNowView(RoleRequiredMixin, View):
    """立即发送提醒: the city's reminders of today, now (in the background when a worker runs)."""

    required_roles = CHANNEL_ROLES
    http_method_names = ["post"]

    def post(self, request):
        form = SendForm(request.POST)
        cities = list(selectors.channel_cities(request.user))
        asked = form.cleaned_data.get("city") if form.is_valid() else None
        if asked:
            cities = [c for c in cities if c.pk == asked]
        if not cities:
            raise Http404(NOT_FOUND)
        city = cities[0]
        services.request_reminders(actor=request.user, city=city)
        if uses_broker():
            messages.success(request, _("已开始发送%(city)s的待办提醒，稍后完成。") % {"city": city.name})
        else:
            messages.success(request, _("已发送%(city)s的待办提醒。") % {"city": city.name})
        return redirect(CHANNELS_URL)
