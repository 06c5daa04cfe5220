"""Routes under /api/v1/ for the chain taxonomy (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import ChainViewSet, ClusterViewSet, SegmentViewSet

app_name = "chains_api"

router = SimpleRouter()
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("chains", ChainViewSet, basename="chain")
router.register("chain-segments", SegmentViewSet, basename="chain-segment")

urlpatterns = router.urls
