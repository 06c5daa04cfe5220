"""Routes under /api/v1/ for the outreach ledgers (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import InspectionViewSet, OutboundTripViewSet, PromotionEventViewSet, StationingViewSet, VisitViewSet

app_name = "outreach_api"

router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("promotion-events", PromotionEventViewSet, basename="promotion-event")
router.register("outbound-trips", OutboundTripViewSet, basename="outbound-trip")
router.register("stationings", StationingViewSet, basename="stationing")

urlpatterns = router.urls
