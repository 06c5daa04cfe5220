"""Routes under /api/v1/ for the company directory (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import CompanyViewSet, ContactViewSet

app_name = "enterprises_api"

router = SimpleRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = router.urls
