"""SDK-HMAC-SHA256, the signature Huawei Cloud's SDKs put on every request made with an access key (AK/SK),
checked as the API gateway checks it.

The recipe follows the SDK's own signer (`huaweicloudsdkcore/signer/signer.py`), and a test signs requests
with it: the canonical request is the method, the path (each segment unquoted then quoted, ending in `/`),
the sorted query, the signed headers (`name:value`), their names, and the SHA-256 of the body; the string to
sign is the algorithm, the `X-Sdk-Date` and the canonical request's SHA-256; the signature is its HMAC-SHA256
under the secret key, in hex.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()
# How far a request's X-Sdk-Date may be from the gateway's clock (real time, whatever the demo clock says).
SKEW = timedelta(minutes=15)

_AUTHORIZATION = re.compile(
    rf"{ALGORITHM} Access=(?P<access>[^,\s]+), SignedHeaders=(?P<headers>[^,\s]+), Signature=(?P<signature>[0-9a-f]+)"
)


class SignatureRefused(Exception):
    """Why the gateway will not believe a request came from the key it names (401 `APIGW.0301`)."""


@dataclass(frozen=True)
class Authorization:
    access: str
    signed_headers: tuple[str, ...]
    signature: str


@dataclass(frozen=True)
class SignedRequest:
    """What a signature covers, as the server received it."""

    method: str
    path: str
    query: Iterable[tuple[str, str]]
    headers: Mapping[str, str]  # names in lower case
    body: bytes


def parse_authorization(value: str | None) -> Authorization:
    if not value:
        raise SignatureRefused("the request has no Authorization header: sign it with an access key (AK/SK)")
    match = _AUTHORIZATION.fullmatch(value.strip())
    if match is None:
        raise SignatureRefused(f"the Authorization header is not `{ALGORITHM} Access=..., SignedHeaders=..., "
                               "Signature=...`")
    headers = tuple(match.group("headers").split(";"))
    return Authorization(match.group("access"), headers, match.group("signature"))


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    uri = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(pairs))


def payload_hash(request: SignedRequest) -> str:
    """The body's SHA-256, which the signature covers. A client may state it in `X-Sdk-Content-Sha256`
    (the SDK does so for uploads); the stated value must then be the body's, or anyone holding one signed
    request could send another body under its signature."""
    actual = hashlib.sha256(request.body).hexdigest() if request.body else EMPTY_BODY_HASH
    stated = request.headers.get("x-sdk-content-sha256")
    if stated is not None and stated != actual:
        if stated == "UNSIGNED-PAYLOAD":
            raise SignatureRefused("the CBR API signs its JSON bodies: UNSIGNED-PAYLOAD is not accepted")
        raise SignatureRefused("X-Sdk-Content-Sha256 is not the SHA-256 of the body")
    return stated or actual


def canonical_request(request: SignedRequest, signed_headers: tuple[str, ...]) -> str:
    headers = "".join(f"{name}:{request.headers.get(name, '').strip()}\n" for name in signed_headers)
    payload = payload_hash(request)
    return "\n".join((request.method.upper(), canonical_uri(request.path), canonical_query(request.query),
                      headers, ";".join(signed_headers), payload))


def string_to_sign(date: str, canonical: str) -> str:
    return f"{ALGORITHM}\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(secret: str, request: SignedRequest, signed_headers: tuple[str, ...], date: str) -> str:
    text = string_to_sign(date, canonical_request(request, signed_headers))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def request_date(request: SignedRequest, now: datetime) -> str:
    """The request's `X-Sdk-Date`, refused when missing, malformed, or more than `SKEW` from `now`."""
    date = request.headers.get("x-sdk-date", "")
    try:
        sent = datetime.strptime(date, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SignatureRefused(f"the X-Sdk-Date header {date!r} is not a time like 20261203T101500Z") from None
    if abs(now - sent) > SKEW:
        raise SignatureRefused(f"the request was signed at {date}, more than {SKEW.seconds // 60} minutes from the "
                               f"gateway's time {now.strftime(DATE_FORMAT)}: check the client's clock")
    return date


def verify(request: SignedRequest, authorization: Authorization, secret: str, now: datetime) -> None:
    """Refuse unless `secret` signed exactly this request, recently, covering its host and date."""
    date = request_date(request, now)
    for needed in ("host", "x-sdk-date"):
        if needed not in authorization.signed_headers:
            raise SignatureRefused(f"the signature must cover the {needed} header")
    expected = signature(secret, request, authorization.signed_headers, date)
    if not hmac.compare_digest(expected, authorization.signature):
        raise SignatureRefused("the signature does not match the request: check the secret key, and that "
                               "nothing changed the request after it was signed")
