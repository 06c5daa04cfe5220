"""The API building blocks every app reuses: errors, input checking, scoped references, OpenAPI and its docs."""

import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.http import Http404
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from core.api.exceptions import exception_handler
from core.api.viewsets import ChoiceListField, InputSerializer, VisiblePrimaryKeyRelatedField
from organizations.choices import TargetRegion
from organizations.models import Unit

CJK = re.compile(r"[\u4e00-\u9fff]")


def handle(exc):
    return exception_handler(exc, {"request": None, "view": None})


def test_a_field_validation_error_becomes_a_400_keyed_by_field():
    response = handle(ValidationError({"code": "编码已被使用。", NON_FIELD_ERRORS: "整体不对。"}))
    assert response.status_code == 400
    assert response.data == {"code": ["编码已被使用。"], "non_field_errors": ["整体不对。"]}


def test_a_plain_validation_error_lands_under_non_field_errors():
    response = handle(ValidationError("该单位已经停用。"))
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["该单位已经停用。"]}


def test_a_service_permission_denied_keeps_its_chinese_message():
    assert handle(PermissionDenied("您无权管理该单位。")).data == {"detail": "您无权管理该单位。"}
    bare = handle(PermissionDenied())
    assert bare.status_code == 403
    assert CJK.search(str(bare.data["detail"]))


def test_a_404_never_says_whether_the_record_exists():
    response = handle(Http404("No Unit matches the given query."))
    assert response.status_code == 404
    assert response.data == {"detail": "未找到该记录，或您无权查看。"}
    assert handle(Unit.DoesNotExist()).data == response.data


def test_an_integrity_error_is_a_400_not_a_500():
    response = handle(IntegrityError("UNIQUE constraint failed: organizations_unit.code"))
    assert response.status_code == 400
    assert "UNIQUE" not in str(response.data)


class _Example(InputSerializer):
    name = serializers.CharField()
    regions = ChoiceListField(TargetRegion.choices, required=False)


def test_an_input_serializer_reports_unknown_keys_with_the_other_errors():
    serializer = _Example(data={"regions": ["mars"], "kind": "city"})
    assert not serializer.is_valid()
    assert set(serializer.errors) == {"name", "regions", "kind"}
    assert isinstance(serializer.errors["regions"], list)
    assert "mars" in str(serializer.errors["regions"][0])


def test_an_input_serializer_accepts_known_keys():
    serializer = _Example(data={"name": "甲", "regions": ["jingjinji"]})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"name": "甲", "regions": ["jingjinji"]}


def test_a_reference_out_of_scope_is_refused_like_a_missing_one(org):
    request = APIRequestFactory().get("/")
    request.user = org["county"]

    class Pick(InputSerializer):
        unit = VisiblePrimaryKeyRelatedField(Unit)

    ok = Pick(data={"unit": org.squad.pk}, context={"request": request})
    assert ok.is_valid(), ok.errors
    hidden = Pick(data={"unit": org.other_county.pk}, context={"request": request})
    missing = Pick(data={"unit": 987654}, context={"request": request})
    assert not hidden.is_valid()
    assert not missing.is_valid()
    hidden_message = str(hidden.errors["unit"][0]).replace(str(org.other_county.pk), "#")
    assert hidden_message == str(missing.errors["unit"][0]).replace("987654", "#")


@pytest.mark.django_db
def test_the_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").startswith("openapi:")


@pytest.mark.django_db
def test_the_api_docs_load_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith(("/static/", "/api/")), asset
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
    assert not re.search(r"https?://", script.content.decode())
    for asset in assets:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
