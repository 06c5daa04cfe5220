"""Routes under /api/v1/ for notifications and the office's notification channels (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import ChannelViewSet, NotificationViewSet

app_name = "reminders_api"

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notification-channels", ChannelViewSet, basename="notification-channel")

urlpatterns = router.urls
