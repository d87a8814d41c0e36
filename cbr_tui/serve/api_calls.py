"""One API call as its handler sees it: the caller's console, the path and query, the body as a v3 model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from cbr_tui.domain.errors import invalid
from cbr_tui.domain.numbers import parse_whole_number
from cbr_tui.services.console import Console
from cbr_tui.v3.base import V3Model

Model = TypeVar("Model", bound=V3Model)
Value = TypeVar("Value")


class ProjectNotFound(Exception):
    """The path names a project that is not the key holder's."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Call:
    console: Console
    path: dict[str, str]
    query: list[tuple[str, str]]
    raw_body: bytes
    ok_status: int

    def answer(self, model: V3Model | None = None) -> Answer:
        """The operation's success status with `model` as the body (none for a 204)."""
        return Answer(self.ok_status, model.wire() if model is not None else None)

    def body(self, model: type[Model]) -> Model:
        """The JSON body as `model`: refused (400, 9900) when it is not JSON or not of that shape."""
        try:
            document = json.loads(self.raw_body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise invalid("The request body is not JSON.") from None
        except RecursionError:
            raise invalid("The request body nests too deeply to be a CBR request.") from None
        if not isinstance(document, dict):
            raise invalid("The request body must be a JSON object.")
        try:
            return model.model_validate(document)
        except ValidationError as error:
            raise invalid(_validation_message(error)) from None

    def required(self, value: Value | None, name: str) -> Value:
        if value is None:
            raise invalid(f"The request body needs `{name}`.")
        return value

    def text(self, name: str) -> str | None:
        """A query parameter given once (the last one wins, as most gateways read it)."""
        values = [value for key, value in self.query if key == name]
        return values[-1] if values else None

    def texts(self, name: str) -> list[str]:
        """A query parameter that may repeat (`status=a&status=b`)."""
        return [value for key, value in self.query if key == name]

    def number(self, name: str, default: int) -> int:
        text = self.text(name)
        return default if text is None else parse_whole_number(text, f"the query parameter {name}")


def _validation_message(error: ValidationError) -> str:
    parts = []
    for problem in error.errors()[:3]:
        where = ".".join(str(p) for p in problem["loc"]) or "the body"
        parts.append(f"{where}: {problem['msg']}")
    return "The request body is not valid: " + "; ".join(parts) + "."
