"""What the bulletins API reads and writes. Output: a bulletin with its state, progress, figures and download link."""

from django.urls import reverse
from rest_framework import serializers

from core.api.fields import ChoiceLabelField
from core.api.viewsets import InputSerializer, text

from ..models import Bulletin


class BulletinSerializer(serializers.ModelSerializer):
    """A bulletin: its month and version, its state and progress while generated, then its fixed figures."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    status_label = ChoiceLabelField("status")
    published = serializers.BooleanField(source="is_published", read_only=True)
    download_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "owner",
            "owner_name",
            "year",
            "month",
            "version",
            "number",
            "title",
            "issued_on",
            "status",
            "status_label",
            "progress",
            "stage",
            "error",
            "figures",
            "download_url",
            "page_url",
            "created_at",
            "started_at",
            "finished_at",
            "published",
            "published_at",
        ]
        read_only_fields = fields

    def _absolute(self, url):
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_download_url(self, obj) -> str | None:
        if not obj.is_done:
            return None
        return self._absolute(reverse("bulletins_api:bulletin-download", args=[obj.pk]))

    def get_page_url(self, obj) -> str:
        return self._absolute(obj.get_absolute_url())


class BulletinCreateSerializer(InputSerializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    number = text(60)
    title = text(200)
