from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("units/", views.UnitTreeView.as_view(), name="unit_tree"),
    path("units/list/", views.UnitListView.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/move/", views.UnitMoveView.as_view(), name="unit_move"),
    path("units/<int:pk>/deactivate/", views.UnitActiveView.as_view(), name="unit_deactivate"),
    path("units/<int:pk>/activate/", views.UnitActiveView.as_view(activate=True), name="unit_activate"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/deactivate/", views.PersonActiveView.as_view(), name="person_deactivate"),
    path("people/<int:pk>/activate/", views.PersonActiveView.as_view(activate=True), name="person_activate"),
    path("people/<int:pk>/reset-password/", views.PersonResetPasswordView.as_view(), name="person_reset_password"),
    path("people/<int:pk>/roles/", views.PersonAssignRoleView.as_view(), name="person_assign_role"),
    path(
        "people/<int:pk>/roles/<int:membership_pk>/revoke/",
        views.MembershipRevokeView.as_view(),
        name="membership_revoke",
    ),
]
