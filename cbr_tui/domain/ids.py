"""Identifiers: random in production, seeded in tests and demos so that snapshots are stable."""

import random
import uuid
from typing import Protocol

_DEMO_NAMESPACE = uuid.UUID("6f1f7c1e-8a55-4c3e-9d0b-4b8f0c2b7a11")


class IdSource(Protocol):
    def uuid(self) -> str:
        """A UUID string (`2b076f26-391f-40fa-bf71-a798940faccf`)."""
        ...

    def short_hex(self) -> str:
        """Four hex characters, for default names such as `vault_1a2b`."""
        ...


class RandomIds:
    """Fresh random identifiers for every call."""

    def uuid(self) -> str:
        return str(uuid.uuid4())

    def short_hex(self) -> str:
        return uuid.uuid4().hex[:4]


class SeededIds:
    """A deterministic sequence of identifiers from a seed."""

    def __init__(self, seed: int | str = 0) -> None:
        self._random = random.Random(seed)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def short_hex(self) -> str:
        return f"{self._random.getrandbits(16):04x}"


def stable_uuid(*parts: str) -> str:
    """The same UUID for the same name parts, every time (the demo inventory's IDs)."""
    return str(uuid.uuid5(_DEMO_NAMESPACE, "/".join(parts)))


def stable_hex32(*parts: str) -> str:
    """A Huawei-style 32-hex project or domain ID derived from name parts."""
    return uuid.uuid5(_DEMO_NAMESPACE, "/".join(parts)).hex
