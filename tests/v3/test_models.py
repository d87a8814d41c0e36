"""The v3 models are the SDK's, field for field: what the API serves deserialises into the SDK's models with
no field they lack, nested as they nest them."""

import inspect
import re

import huaweicloudsdkcbr.v1.model as sdk
import pytest
from huaweicloudsdkcbr.v1.cbr_client import CbrClient

from cbr_tui.v3 import models as v3
from cbr_tui.v3.base import V3Model
from cbr_tui.v3.operations import OPERATIONS

MODELS = sorted((m for m in vars(v3).values() if inspect.isclass(m) and issubclass(m, V3Model) and m is not V3Model),
                key=lambda m: m.__name__)
SCALARS = {"str": str, "int": int, "bool": bool, "float": float, "datetime": str, "date": str}


def annotation_matches(sdk_type: str, annotation: object) -> bool:
    """`list[BackupResp] | None` for the SDK's `list[BackupResp]`, `str | None` for `datetime`, ..."""
    text = str(annotation).replace("cbr_tui.v3.models.", "").replace("typing.", "")
    expected = re.sub(r"dict\(str, (.*)\)", r"dict[str, \1]", sdk_type)
    for name, python in SCALARS.items():
        expected = re.sub(rf"\b{name}\b", python.__name__, expected)
    expected = expected.replace("object", "Any")
    return text == f"{expected} | None" or text == f"Optional[{expected}]"


def test_the_client_s_operations_are_the_74_the_api_knows() -> None:
    names = sorted(n[: -len("_invoker")] for n in dir(CbrClient) if n.endswith("_invoker"))
    assert names == sorted(op.sdk_name for op in OPERATIONS)
    assert len(names) == 74
    for op in OPERATIONS:
        info = getattr(CbrClient, f"_{op.sdk_name}_http_info")(getattr(sdk, op.model_prefix + "Request")())
        assert (info["method"], info["resource_path"]) == (op.method, op.path)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_model_has_exactly_the_sdk_s_fields_wire_names_and_types(model: type[V3Model]) -> None:
    theirs = getattr(sdk, model.__name__)
    model.model_rebuild()  # built on first use (defer_build): this resolves its annotations, as a request would
    fields = {field.alias or name: field for name, field in model.model_fields.items()}
    wire = {theirs.attribute_map[name]: sdk_type for name, sdk_type in theirs.openapi_types.items()
            if not (model.__name__.endswith("Response") and name == "body")}
    assert list(fields) == list(wire)
    for name, sdk_type in wire.items():
        assert annotation_matches(sdk_type, fields[name].annotation), (name, sdk_type, fields[name].annotation)


def test_every_request_body_is_the_sdk_s() -> None:
    for op in OPERATIONS:
        body = getattr(sdk, op.model_prefix + "Request").openapi_types.get("body")
        if body and body[0].isupper():
            assert v3.REQUEST_BODY[op.sdk_name].__name__ == body
        else:
            assert op.sdk_name not in v3.REQUEST_BODY


def test_a_model_refuses_a_value_of_another_type_and_ignores_fields_it_does_not_have() -> None:
    with pytest.raises(ValueError, match="valid integer"):
        v3.BillingCreate.model_validate({"size": "100"})
    assert v3.Tag.model_validate({"key": "k", "value": "v", "extra": 1}).wire() == {"key": "k", "value": "v"}
    assert v3.SelfLinksInfo.model_validate({"self": "https://x"}).wire() == {"self": "https://x"}
