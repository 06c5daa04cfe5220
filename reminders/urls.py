"""Pages of the reminders, under /reminders/: my notifications, and the office's channels."""

from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="notification_read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="notification_read_all"),
    path("channels/", views.ChannelListView.as_view(), name="channel_list"),
    path("channels/new/", views.ChannelCreateView.as_view(), name="channel_create"),
    path("channels/<int:pk>/edit/", views.ChannelEditView.as_view(), name="channel_edit"),
    path("channels/<int:pk>/deactivate/", views.ChannelDeactivateView.as_view(), name="channel_deactivate"),
    path("channels/<int:pk>/test/", views.ChannelTestView.as_view(), name="channel_test"),
    path("send/", views.SendNowView.as_view(), name="send_now"),
]
