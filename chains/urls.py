from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("", views.ChainListView.as_view(), name="chain_list"),
    path("new/", views.ChainCreateView.as_view(), name="chain_create"),
    path("<int:pk>/", views.ChainDetailView.as_view(), name="chain_detail"),
    path("<int:pk>/edit/", views.ChainEditView.as_view(), name="chain_edit"),
    path("<int:pk>/gaps/", views.ChainGapListView.as_view(), name="chain_gaps"),
    path("<int:pk>/six-ones/edit/", views.PromotionEditView.as_view(), name="promotion_edit"),
    path("<int:pk>/policies/new/", views.PolicyAddView.as_view(), name="policy_add"),
    path("<int:pk>/policies/<int:document_pk>/remove/", views.PolicyRemoveView.as_view(), name="policy_remove"),
    path("six-ones/", views.PromotionOverviewView.as_view(), name="promotion_list"),
    path("<int:pk>/segments/new/", views.SegmentAddView.as_view(), name="segment_add"),
    path("<int:pk>/leaders/new/", views.LeaderAddView.as_view(), name="leader_add"),
    path(
        "<int:pk>/leaders/company-options/",
        views.LeaderCompanyOptionsView.as_view(),
        name="leader_company_options",
    ),
    path("<int:pk>/leaders/<int:leader_pk>/remove/", views.LeaderRemoveView.as_view(), name="leader_remove"),
    path("segments/<int:pk>/companies/", views.SegmentCompanyListView.as_view(), name="segment_companies"),
    path("segments/<int:pk>/edit/", views.SegmentEditView.as_view(), name="segment_edit"),
    path("segments/<int:pk>/remove/", views.SegmentRemoveView.as_view(), name="segment_remove"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/new/", views.ClusterCreateView.as_view(), name="cluster_create"),
    path("clusters/<int:pk>/edit/", views.ClusterEditView.as_view(), name="cluster_edit"),
]
