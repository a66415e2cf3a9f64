"""Where audit rows say a request came from, and which request it was."""

import pytest
from django.test import RequestFactory

from qinqing.core.middleware import client_ip, request_id_from

pytestmark = pytest.mark.django_db


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **meta)


def test_given_no_trusted_proxy_then_the_socket_address_is_used_whatever_the_header_says(settings):
    settings.QINQING_TRUST_X_FORWARDED_FOR = 0
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.5"


def test_given_one_trusted_proxy_then_the_address_it_saw_is_used_not_the_clients_own_claim(settings):
    # Given one nginx in front, which appends the address it saw to what the client sent
    settings.QINQING_TRUST_X_FORWARDED_FOR = 1
    # Then a forged left-hand entry is ignored
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "203.0.113.7"
    # and garbage falls back to the proxy's own address
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="<script>")) == "10.0.0.5"
    assert client_ip(_request()) == "10.0.0.5"


def test_given_a_caller_request_id_then_kept_only_if_it_is_a_plain_token():
    assert request_id_from(_request(HTTP_X_REQUEST_ID="batch-2026.12.01:7")) == "batch-2026.12.01:7"
    forged = request_id_from(_request(HTTP_X_REQUEST_ID="x' OR 1=1 <b>"))
    assert forged != "x' OR 1=1 <b>" and len(forged) >= 8
    assert request_id_from(_request(HTTP_X_REQUEST_ID="a" * 65)) != "a" * 65
