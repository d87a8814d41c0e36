"""Write `cbr_tui/v3/models.py` from the official SDK's models (`huaweicloudsdkcbr`, a test dependency).

The CBR v3 shapes are the SDK's: this copies, for the operations `cbr_tui.v3.operations` serves, every
request body and response model reachable from them, field for field and in the SDK's order, as pydantic
models. Run it after bumping the SDK's pin (`python tools/v3_models.py`); `tests/v3/test_models.py` fails
while the two differ.
"""

import inspect
import re
import sys
from pathlib import Path

import huaweicloudsdkcbr.v1.model as sdk

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cbr_tui.v3.operations import OPERATIONS  # noqa: E402

SCALARS = {"str": "str", "int": "int", "bool": "bool", "float": "float", "object": "Any",
           # the wire carries dates as text: the models keep what is sent
           "datetime": "str", "date": "str"}


def python_type(sdk_type: str) -> tuple[str, list[str]]:
    """The annotation for an SDK type, and the models it names."""
    if match := re.fullmatch(r"list\[(.*)\]", sdk_type):
        inner, named = python_type(match.group(1))
        return f"list[{inner}]", named
    if match := re.fullmatch(r"dict\(str, (.*)\)", sdk_type):
        inner, named = python_type(match.group(1))
        return f"dict[str, {inner}]", named
    if sdk_type in SCALARS:
        return SCALARS[sdk_type], []
    return sdk_type, [sdk_type]


def model_source(name: str, cls: type, order: list[str], pending: list[str]) -> str:
    doc = f"`{name}` of the SDK."
    lines = [f"class {name}(V3Model):", f'    """{doc}"""', ""]
    body = False
    for field, sdk_type in cls.openapi_types.items():
        if name.endswith("Response") and field == "body":
            continue
        annotation, named = python_type(sdk_type)
        for model in named:
            if model not in order and model not in pending:
                pending.append(model)
        wire = cls.attribute_map[field]
        attribute = field.lstrip("_")
        if wire != attribute:
            lines.append(f"    {attribute}: {annotation} | None = Field(default=None, alias={wire!r})")
        else:
            lines.append(f"    {attribute}: {annotation} | None = None")
        body = True
    if not body:
        lines.append("    pass")
    return "\n".join(lines)


def main() -> None:
    pending: list[str] = []
    bodies: dict[str, str] = {}
    for operation in OPERATIONS:
        camel = operation.model_prefix
        request = getattr(sdk, camel + "Request")
        body = request.openapi_types.get("body")
        if body and body[0].isupper():
            pending.append(body)
            bodies[operation.sdk_name] = body
        pending.append(camel + "Response")
    order: list[str] = []
    sources: dict[str, str] = {}
    while pending:
        name = pending.pop(0)
        if name in order:
            continue
        cls = getattr(sdk, name)
        assert inspect.isclass(cls), name
        order.append(name)
        sources[name] = model_source(name, cls, order, pending)
    header = '''"""The CBR v3 request and response shapes, as the official SDK (`huaweicloudsdkcbr`) names and nests
them.

Written by `tools/v3_models.py` from the SDK's models; do not edit by hand. Every field is optional, as in
the SDK: the services say which ones a request needs, with the reference's error codes.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cbr_tui.v3.base import V3Model


'''
    # No model_rebuild() here: the models' schemas are built on first use (V3Model's defer_build), when the
    # names further down the module resolve; building all 217 at import would cost every command 0.25 s.
    footer = ""
    table = "".join(f"    {name!r}: {model},\n" for name, model in sorted(bodies.items()))
    footer += ("\n\n# The model of each operation's JSON body (by the SDK's method name).\n"
               f"REQUEST_BODY: dict[str, type[V3Model]] = {{\n{table}}}\n")
    text = header + "\n\n".join(sources[name] for name in sorted(order)) + footer
    (ROOT / "cbr_tui" / "v3" / "models.py").write_text(text)
    print(f"{len(order)} models written")


if __name__ == "__main__":
    main()
