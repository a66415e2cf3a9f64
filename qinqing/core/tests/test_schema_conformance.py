"""Responses match the OpenAPI schema in the states generated fuzzing rarely reaches (schemathesis'
response-conformance check on a closed appeal), and write operations document their request body."""

import pytest

from qinqing.accounts.actions import issue_api_token
from qinqing.core.tests.test_schema import CHECKS, RAW_SCHEMA, SCHEMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(settings):
    """Django's WSGI handler that keeps the test transaction's connection (as in test_schema)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_given_the_policy_create_operation_then_its_request_body_is_documented():
    body = RAW_SCHEMA["paths"]["/api/v1/policies/"]["post"].get("requestBody")

    assert body is not None
    schema = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"title", "level", "benefit_type", "rule"} <= set(RAW_SCHEMA["components"]["schemas"][schema]["properties"])


def test_given_a_rejected_appeal_when_read_through_the_api_then_the_response_matches_the_schema(tree, users, app):
    from qinqing.appeals import actions
    from qinqing.appeals.models import AppealDomain, AppealType

    appeal = actions.register_appeal(
        actor=users.enterprise,
        enterprise=tree.ent_a,
        appeal_type=AppealType.objects.first(),
        domain=AppealDomain.objects.first(),
        title="贷款难",
        description="贷款申请三个月未审批",
    )
    appeal = actions.reject_appeal(appeal, actor=users.county_staff, reason="不属于受理范围")
    assert appeal.current_due is None
    headers = {"Authorization": f"Token {issue_api_token(users.county_staff).key}"}

    for label, params in (("GET /api/v1/appeals/{id}/", {"id": appeal.pk}), ("GET /api/v1/appeals/", {})):
        operation = SCHEMA.find_operation_by_label(label)
        case = operation.Case(path_parameters=params or None)
        response = case.call(app=app, headers=headers)

        assert response.status_code == 200
        case.validate_response(response, checks=CHECKS, headers=headers)
