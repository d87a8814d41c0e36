"""Requests are believed only when an active access key signed them, recently, as the SDK signs: checked
against the SDK's own signer, then on the wire."""

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from huaweicloudsdkcbr.v1.model import DeleteVaultRequest, ListVaultRequest, ShowVaultRequest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from cbr_tui.services.iam import UserSpec
from cbr_tui.services.views.iam import ApiCredential
from cbr_tui.v3.signing import (
    DATE_FORMAT,
    SignatureRefused,
    SignedRequest,
    parse_authorization,
    verify,
)
from tests.api.conftest import ServedApi
from tests.services.helpers import buy

AK, SK = "AKEXAMPLE0000000000A", "secret-example-0123456789-abcdefghijklmno"
NOW = datetime(2026, 12, 3, 10, 15, tzinfo=UTC)


def sdk_signed(method: str, path: str, query: list[tuple[str, Any]], body: bytes = b"",
               host: str = "127.0.0.1:8443", when: datetime = NOW, secret: str = SK) -> SdkRequest:
    headers = {"Content-Type": "application/json", "X-Sdk-Date": when.strftime(DATE_FORMAT), "Host": host}
    request = SdkRequest(method=method, schema="http", host=host, resource_path=path, query_params=list(query),
                         header_params=headers, body=body)
    return Signer(BasicCredentials(AK, secret, "p")).sign(request)


def as_received(signed: SdkRequest) -> SignedRequest:
    query = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, values in signed.query_params
             for v in (values if isinstance(values, list) else [values])]
    headers = {k.lower(): v for k, v in signed.header_params.items()}
    return SignedRequest(signed.method, signed.resource_path, query, headers, signed.body or b"")


@pytest.mark.parametrize(("method", "path", "query", "body"), [
    ("GET", "/v3/p1/vaults", [("limit", 10), ("status", ["error", "available"]), ("name", "a b~c/ü")], b""),
    ("POST", "/v3/p1/vaults/v%201/addresources", [], json.dumps({"resources": [{"id": "x"}]}).encode()),
    ("DELETE", "/v3/p1/vault/v1/tags/k:é", [("flag", True)], b""),
])
def test_what_the_sdk_signs_verifies_and_any_change_does_not(method: str, path: str, query: list[Any],
                                                             body: bytes) -> None:
    signed = sdk_signed(method, path, query, body)
    authorization = parse_authorization(signed.header_params["Authorization"])
    assert authorization.access == AK
    verify(as_received(signed), authorization, SK, NOW)

    received = as_received(signed)
    for changed in (replace(received, method="PUT"), replace(received, path=received.path + "x"),
                    replace(received, query=[*received.query, ("extra", "1")]),
                    replace(received, headers=received.headers | {"host": "evil:1"}),
                    replace(received, body=received.body + b" ")):
        with pytest.raises(SignatureRefused, match="does not match"):
            verify(changed, authorization, SK, NOW)
    with pytest.raises(SignatureRefused, match="does not match"):
        verify(received, authorization, SK + "x", NOW)


def test_a_request_signed_too_long_ago_or_ahead_is_refused() -> None:
    for skew in (timedelta(minutes=16), -timedelta(minutes=16)):
        signed = sdk_signed("GET", "/v3/p/vaults", [], when=NOW + skew)
        with pytest.raises(SignatureRefused, match="more than 15 minutes"):
            verify(as_received(signed), parse_authorization(signed.header_params["Authorization"]), SK, NOW)
    signed = sdk_signed("GET", "/v3/p/vaults", [], when=NOW - timedelta(minutes=14))
    verify(as_received(signed), parse_authorization(signed.header_params["Authorization"]), SK, NOW)


@pytest.mark.parametrize("value", [None, "", "Bearer abc", "SDK-HMAC-SHA256 Access=A, Signature=00",
                                   "SDK-HMAC-SHA256 Access=A, SignedHeaders=host, Signature=XYZ"])
def test_an_authorization_header_not_of_the_sdk_s_form_is_refused(value: str | None) -> None:
    with pytest.raises(SignatureRefused):
        parse_authorization(value)


def call(served: ServedApi, method: str, path: str, *, secret: str | None = None, access: str | None = None,
         when: datetime | None = None, sign: bool = True, body: bytes = b"", extra: dict[str, str] | None = None,
         sent_body: bytes | None = None) -> requests.Response:
    """A raw request as the SDK would sign it (or not at all), to see what the gateway answers; `extra`
    headers are signed too, `sent_body` replaces the body after signing."""
    host = served.endpoint.removeprefix("http://")
    headers: dict[str, str] = {}
    if sign:
        key = served.credential
        request = SdkRequest(method=method, schema="http", host=host, resource_path=path, query_params=[],
                             header_params={"Content-Type": "application/json", "Host": host,
                                            "X-Sdk-Date": (when or datetime.now(UTC)).strftime(DATE_FORMAT),
                                            **(extra or {})},
                             body=body)
        Signer(BasicCredentials(access or key.access, secret or key.secret, key.project_id)).sign(request)
        headers = dict(request.header_params)
    sent = body if sent_body is None else sent_body
    return requests.request(method, served.endpoint + path, headers=headers, data=sent, timeout=10)


def test_the_gateway_refuses_unsigned_forged_stale_and_unknown_key_requests(served_api: ServedApi) -> None:
    path = f"/v3/{served_api.credential.project_id}/vaults"
    assert call(served_api, "GET", path).status_code == 200
    for answer in (call(served_api, "GET", path, sign=False),
                   call(served_api, "GET", path, secret="not-the-secret"),
                   call(served_api, "GET", path, access="NOSUCHKEY00000000000"),
                   call(served_api, "GET", path, when=datetime.now(UTC) - timedelta(hours=1))):
        assert answer.status_code == 401
        assert answer.json()["error_code"] == "APIGW.0301"
        assert answer.json()["error_msg"].startswith("Incorrect IAM authentication information: ")
        assert answer.headers["X-Request-Id"] == answer.json()["request_id"]


def test_every_answer_carries_a_request_id_and_unserved_operations_say_so(served_api: ServedApi) -> None:
    project = served_api.credential.project_id
    served = call(served_api, "GET", f"/v3/{project}/vaults")
    refused = call(served_api, "GET", f"/v3/{project}/vaults/no-such-vault")
    unserved = call(served_api, "GET", f"/v3/{project}/organization-policies")
    unknown = call(served_api, "GET", f"/v3/{project}/no-such-api")
    ids = {answer.headers["X-Request-Id"] for answer in (served, refused, unserved, unknown)}
    assert len(ids) == 4
    assert (refused.status_code, refused.json()["error_code"]) == (404, "BackupService.6105")
    assert (unserved.status_code, unserved.json()["error_code"]) == (501, "APIGW.0101")
    assert "ListOrganizationPolicies" in unserved.json()["error_msg"]
    assert (unknown.status_code, unknown.json()["error_code"]) == (404, "APIGW.0101")


def test_a_project_of_another_account_or_region_is_not_the_key_s(served_api: ServedApi) -> None:
    answer = call(served_api, "GET", "/v3/0123456789abcdef0123456789abcdef/vaults")
    assert (answer.status_code, answer.json()["error_code"]) == (403, "APIGW.0302")


def test_a_key_belongs_to_its_user_and_their_permissions_hold(served_api: ServedApi) -> None:
    console = served_api.console
    console.iam.create_group("api-readers")
    console.iam.grant("api-readers", "CBR ReadOnlyAccess")
    made = console.iam.create_user(UserSpec(name="api_reader", programmatic_access=True, console_access=False,
                                            groups=("api-readers",)))
    assert made.credential is not None
    credential = ApiCredential(**made.credential.model_dump(), project_id=served_api.credential.project_id)
    reader = served_api.client(credential)
    vault_id = buy(console, name="readers-cannot-delete", size_gb=10).id
    assert reader.list_vault(ListVaultRequest()).count == console.vaults.list().count
    with pytest.raises(ClientRequestException) as refused:
        reader.delete_vault(DeleteVaultRequest(vault_id=vault_id))
    assert (refused.value.status_code, refused.value.error_code) == (403, "BackupService.8600")
    assert "api_reader may not delete vaults" in refused.value.error_msg

    console.access_keys.delete(credential.access, "api_reader")
    with pytest.raises(ClientRequestException) as gone:
        reader.show_vault(ShowVaultRequest(vault_id=vault_id))
    assert (gone.value.status_code, gone.value.error_code) == (401, "APIGW.0301")


def test_a_signed_request_s_body_cannot_be_swapped_whatever_hash_it_states(served_api: ServedApi) -> None:
    path = f"/v3/{served_api.credential.project_id}/policies"
    signed = b'{"policy": {"name": "honest"}}'
    swapped = b'{"policy": {"name": "forged"}}'
    stated = {"X-Sdk-Content-Sha256": hashlib.sha256(signed).hexdigest()}
    for answer in (call(served_api, "POST", path, body=signed, sent_body=swapped),
                   call(served_api, "POST", path, body=signed, sent_body=swapped, extra=stated),
                   call(served_api, "POST", path, body=signed, extra={"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"})):
        assert (answer.status_code, answer.json()["error_code"]) == (401, "APIGW.0301"), answer.text
    assert not [p for p in served_api.console.policies.list().policies if p.name == "forged"]


def test_headers_and_bodies_a_client_can_send_get_a_clear_answer(served_api: ServedApi) -> None:
    project = served_api.credential.project_id
    noted = call(served_api, "GET", f"/v3/{project}/vaults", extra={"X-Note": "café €"})
    assert noted.status_code == 200, noted.text
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = call(served_api, "POST", f"/v3/{project}/vaults", body=deep)
    assert (nested.status_code, nested.json()["error_code"]) == (400, "BackupService.9900")
    assert nested.headers["X-Request-Id"]
    not_json = call(served_api, "POST", f"/v3/{project}/vaults", body=b"\xff\xfe")
    assert (not_json.status_code, not_json.json()["error_code"]) == (400, "BackupService.9900")
