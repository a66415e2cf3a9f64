"""API conventions: JSON errors in Chinese, token authentication, the local OpenAPI schema and Swagger UI."""

import re

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import Client
from django.urls import include, path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config import urls as root_urls
from qinqing.accounts.actions import issue_api_token
from qinqing.core.errors import Refused
from qinqing.core.models import AuditEntry


class _NameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    count = serializers.IntegerField(min_value=1)


class _Guarded(APIView):
    """Stands for any domain view: permission-guarded, validates input, raises the errors actions raise."""

    required_permission = "core.view_auditentry"

    def get(self, request):
        what = request.query_params.get("raise")
        if what == "404":
            raise Http404
        if what == "django-validation":
            raise DjangoValidationError({"credit_code": ["统一社会信用代码格式不正确"]})
        if what == "refused":
            raise Refused("会议已销号，不能再登记问题")
        if what == "boom":
            raise RuntimeError("unexpected")
        return Response({"ok": True})

    def post(self, request):
        form = _NameSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return Response(form.validated_data, status=201)


urlpatterns = [
    path("api/v1/_conventions/", include([path("guarded/", _Guarded.as_view(), name="conventions-guarded")])),
    *root_urls.urlpatterns,
]

pytestmark = pytest.mark.urls(__name__)
GUARDED = "/api/v1/_conventions/guarded/"


def _token_client(user) -> Client:
    token = issue_api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}", raise_request_exception=False)


def test_given_no_credentials_when_calling_the_api_then_401_in_chinese(client, db):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}
    assert response["WWW-Authenticate"].startswith("Token")


def test_given_a_wrong_token_when_calling_the_api_then_401_in_chinese(client, db):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}


def test_given_a_valid_token_when_calling_the_api_then_the_user_is_recognised(users):
    response = _token_client(users.county_staff).get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["role"], body["org_id"]) == ("county_staff", "fic_staff", users.county_staff.org_id)


def test_given_a_role_without_the_permission_when_calling_then_403_in_chinese_and_audited(users):
    response = _token_client(users.county_staff).get(GUARDED)

    assert response.status_code == 403
    assert response.json() == {"detail": "您的账号没有执行此操作的权限"}
    denial = AuditEntry.objects.filter(action="security.permission_denied").latest("id")
    assert denial.success is False and "core.view_auditentry" in denial.message


def test_given_the_permission_when_calling_then_200(users):
    assert _token_client(users.audit_admin).get(GUARDED).json() == {"ok": True}


def test_given_a_missing_object_when_calling_then_404_in_chinese(users):
    response = _token_client(users.audit_admin).get(GUARDED, {"raise": "404"})

    assert response.status_code == 404
    assert response.json() == {"detail": "对象不存在或不在您的管辖范围内"}


def test_given_bad_input_when_posting_then_400_names_each_field_in_chinese(users):
    response = _token_client(users.audit_admin).post(GUARDED, {"name": "x" * 11}, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"name", "count"}
    assert re.search(r"[\u4e00-\u9fff]", body["name"][0]) and re.search(r"[\u4e00-\u9fff]", body["count"][0])


def test_given_an_action_raising_a_django_validation_error_when_calling_then_400_keyed_by_field(users):
    response = _token_client(users.audit_admin).get(GUARDED, {"raise": "django-validation"})

    assert response.status_code == 400
    assert response.json() == {"credit_code": ["统一社会信用代码格式不正确"]}


def test_given_an_action_refusing_by_a_business_rule_when_calling_then_409_with_its_chinese_reason(users):
    response = _token_client(users.audit_admin).get(GUARDED, {"raise": "refused"})

    assert response.status_code == 409
    assert response.json() == {"detail": "会议已销号，不能再登记问题"}


def test_given_an_unexpected_error_when_calling_then_500_json_in_chinese_without_details(users):
    response = _token_client(users.audit_admin).get(GUARDED, {"raise": "boom"})

    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误"}


def test_given_an_unknown_method_when_calling_then_405_in_json(users):
    response = _token_client(users.audit_admin).delete(GUARDED)

    assert response.status_code == 405
    assert "detail" in response.json()


# --- schema and docs ------------------------------------------------------------------------------


def test_given_a_signed_in_user_when_fetching_the_schema_then_openapi_3_json_lists_the_api(users):
    response = _token_client(users.county_staff).get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json") or response[
        "Content-Type"
    ].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"] and "/api/v1/jobs/{id}/" in schema["paths"]
    assert "TokenAuth" in str(schema["components"].get("securitySchemes", {})) or "tokenAuth" in str(
        schema["components"].get("securitySchemes", {})
    )


def test_given_anonymous_when_fetching_the_schema_or_docs_then_401(client, db):
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/api/v1/docs/").status_code in (401, 403)


def test_given_the_docs_page_when_rendered_then_every_asset_is_served_locally(login, users):
    client = login(users.county_staff)

    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/", {"script": ""})

    assert page.status_code == 200 and script.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    for body in (html, script.content.decode()):
        external = re.findall(r"(?:https?:)?//[a-zA-Z0-9.-]+\.[a-z]{2,}[^\s\"'<>]*", body)
        assert external == [], f"external URLs in the docs page: {external}"
    assert "<script>" not in html.replace(" ", "")  # CSP: no inline scripts
