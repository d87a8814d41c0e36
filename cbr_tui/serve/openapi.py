"""The API's OpenAPI description (`GET /openapi.json`): every SDK operation, with the models of its body and
answer, and whether cbr-tui serves it (`x-cbr-tui-served`)."""

from __future__ import annotations

import functools
from typing import Any

from pydantic.json_schema import models_json_schema

from cbr_tui import __version__
from cbr_tui.v3 import models as v3
from cbr_tui.v3.base import V3Model
from cbr_tui.v3.operations import OPERATIONS


@functools.cache
def _schemas() -> tuple[dict[tuple[str, str], Any], dict[str, Any]]:
    models = [m for m in vars(v3).values() if isinstance(m, type) and issubclass(m, V3Model) and m is not V3Model]
    refs, document = models_json_schema([(m, "serialization") for m in models],
                                        ref_template="#/components/schemas/{model}", by_alias=True)
    return {(model.__name__, mode): ref for (model, mode), ref in refs.items()}, document.get("$defs", {})


def openapi_document(served: set[str]) -> dict[str, Any]:
    refs, schemas = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        prefix = operation.model_prefix
        entry: dict[str, Any] = {"operationId": prefix, "summary": operation.purpose,
                                 "x-sdk-method": operation.sdk_name, "x-cbr-tui-served": operation.sdk_name in served,
                                 "security": [{"SDK-HMAC-SHA256": []}]}
        response = refs.get((prefix + "Response", "serialization"))
        entry["responses"] = {str(operation.status): {"description": "OK", **(
            {"content": {"application/json": {"schema": response}}} if response and operation.status != 204 else {})},
            "default": {"description": 'CBR\'s error envelope: {"error_code": "BackupService.NNNN", "error_msg": ...}'}}
        body = v3.REQUEST_BODY.get(operation.sdk_name)
        if body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": refs[(body.__name__, "serialization")]}}}
        paths.setdefault(operation.path, {})[operation.method.lower()] = entry
    return {"openapi": "3.0.3",
            "info": {"title": "cbr-tui: the CBR v3 API", "version": __version__,
                     "description": "Huawei Cloud Cloud Backup and Recovery, v3, as cbr-tui serves it."},
            "paths": paths,
            "components": {"schemas": schemas,
                           "securitySchemes": {"SDK-HMAC-SHA256": {"type": "apiKey", "in": "header",
                                                                   "name": "Authorization"}}}}
