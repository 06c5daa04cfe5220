"""Pages of the outreach ledgers, under /outreach/: <kind>_list, _create, _detail, _edit, _delete for each kind."""

from django.urls import path

from . import views

app_name = "outreach"

PAGES = {
    "visit": (
        "visits",
        views.VisitListView,
        views.VisitCreateView,
        views.VisitDetailView,
        views.VisitEditView,
        views.VisitDeleteView,
    ),
    "inspection": (
        "inspections",
        views.InspectionListView,
        views.InspectionCreateView,
        views.InspectionDetailView,
        views.InspectionEditView,
        views.InspectionDeleteView,
    ),
    "event": (
        "events",
        views.EventListView,
        views.EventCreateView,
        views.EventDetailView,
        views.EventEditView,
        views.EventDeleteView,
    ),
    "trip": (
        "trips",
        views.TripListView,
        views.TripCreateView,
        views.TripDetailView,
        views.TripEditView,
        views.TripDeleteView,
    ),
    "stationing": (
        "stationings",
        views.StationingListView,
        views.StationingCreateView,
        views.StationingDetailView,
        views.StationingEditView,
        views.StationingDeleteView,
    ),
}

urlpatterns = []
for kind, (prefix, list_view, create_view, detail_view, edit_view, delete_view) in PAGES.items():
    urlpatterns += [
        path(f"{prefix}/", list_view.as_view(), name=f"{kind}_list"),
        path(f"{prefix}/new/", create_view.as_view(), name=f"{kind}_create"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{kind}_delete"),
    ]
