from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.CompanyListView.as_view(), name="company_list"),
    path("new/", views.CompanyCreateView.as_view(), name="company_create"),
    path("check/", views.CompanyCheckView.as_view(), name="company_check"),
    path("suggest/", views.CompanySuggestView.as_view(), name="company_suggest"),
    path("<int:pk>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("<int:pk>/edit/", views.CompanyEditView.as_view(), name="company_edit"),
    path("<int:pk>/merge/", views.CompanyMergeView.as_view(), name="company_merge"),
    path("<int:pk>/contacts/new/", views.ContactAddView.as_view(), name="contact_add"),
    path("contacts/<int:pk>/edit/", views.ContactEditView.as_view(), name="contact_edit"),
]
