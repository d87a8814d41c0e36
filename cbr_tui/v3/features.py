"""`GET /cbr-features`: what the service offers in a region, by feature key.

The SDK types this body as a bare `dict(str, object)` (`ListFeaturesResponse.body`), so `tools/v3_models.py`
has no model to write for it; this one names the reference's keys (section 3.3) with their dotted wire names.
"""

from __future__ import annotations

from pydantic import Field

from cbr_tui.v3.base import V3Model


class CbrFeatures(V3Model):
    """The features of CBR in one region."""

    replication_enable: bool = Field(alias="replication.enable")
    replication_source_region: str = Field(alias="replication.source_region")
    replication_destination_regions: list[str] = Field(alias="replication.destination_regions")
    replication_destination_dgw_regions: list[str] = Field(alias="replication.destination_dgw_regions")
    features_backup_double_az: bool = Field(alias="features.backup_double_az")

    @classmethod
    def keys(cls) -> list[str]:
        """The feature keys, as the API names them."""
        return [field.alias or name for name, field in cls.model_fields.items()]
