"""Routes under /api/v1/ for problems, their figures, meetings and problem categories (included by config.api_urls)."""

from rest_framework.routers import SimpleRouter

from .views import MeetingViewSet, ProblemCategoryViewSet, ProblemFiguresViewSet, ProblemViewSet

app_name = "service_api"

router = SimpleRouter()
router.register("problems", ProblemViewSet, basename="problem")
router.register("problem-figures", ProblemFiguresViewSet, basename="problem-figures")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("problem-categories", ProblemCategoryViewSet, basename="problem-category")

urlpatterns = router.urls
