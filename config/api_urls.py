"""Everything under /api/v1/: each app adds its router here."""

from django.urls import include, path

urlpatterns = [
    path("", include("organizations.api.urls")),
]
