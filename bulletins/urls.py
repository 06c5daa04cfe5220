"""Pages of the bulletins, under /bulletins/: the list, 生成通报, one bulletin, its download, publish and delete."""

from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.BulletinListView.as_view(), name="bulletin_list"),
    path("new/", views.BulletinCreateView.as_view(), name="bulletin_create"),
    path("<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("<int:pk>/download/", views.BulletinDownloadView.as_view(), name="bulletin_download"),
    path("<int:pk>/publish/", views.BulletinPublishView.as_view(), name="bulletin_publish"),
    path("<int:pk>/delete/", views.BulletinDeleteView.as_view(), name="bulletin_delete"),
]
