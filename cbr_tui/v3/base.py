"""The base of every CBR v3 model: fields by their wire names, values of the declared type only."""

from typing import Any

from pydantic import BaseModel, ConfigDict


class V3Model(BaseModel):
    """Strict (a JSON string is not a number), and blind to fields it does not know, as the SDK is: the
    services' richer records validate into the API's narrower shapes."""

    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True, defer_build=True)

    def wire(self) -> dict[str, Any]:
        """The JSON body: wire names, every field the SDK's model has."""
        return self.model_dump(mode="json", by_alias=True)
