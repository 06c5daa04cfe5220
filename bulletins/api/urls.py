"""Routes under /api/v1/ for the monthly bulletins (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import BulletinViewSet

app_name = "bulletins_api"

router = SimpleRouter()
router.register("bulletins", BulletinViewSet, basename="bulletin")

urlpatterns = router.urls
