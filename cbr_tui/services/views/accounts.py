"""The account: who it is and what it holds, its regions and their projects, its enterprise projects."""

from __future__ import annotations

from cbr_tui.services.views.base import View
from cbr_tui.v3.features import CbrFeatures


class AccountProject(View):
    """The account's project in a region (one per region)."""

    id: str
    name: str
    region_id: str


class AccountView(View):
    """The account as the console's header and Billing page show it; `region` and `project_id` are the
    caller's current ones."""

    id: str
    name: str
    user_id: str
    user_name: str
    balance: str
    currency: str
    region: str
    project_id: str
    projects: list[AccountProject]


class AccountAnswer(View):
    account: AccountView


class ZoneView(View):
    id: str
    name: str
    accepts_new_associations: bool


class RegionView(View):
    """A region with the account's project there (none: the account has no project in it)."""

    id: str
    name: str
    project_id: str | None
    availability_zones: list[ZoneView]


class RegionList(View):
    regions: list[RegionView]


class EnterpriseProjectView(View):
    id: str
    name: str
    description: str | None
    created_at: str


class EnterpriseProjectAnswer(View):
    enterprise_project: EnterpriseProjectView


class EnterpriseProjectList(View):
    enterprise_projects: list[EnterpriseProjectView]
    count: int


class OfferedEnterpriseProjects(EnterpriseProjectList):
    """The enterprise projects the purchase wizard offers; `note` says why there are none."""

    note: str | None


class AccountRegistered(View):
    """An account registered in this installation."""

    registered: AccountView


class FeaturesView(CbrFeatures):
    """What CBR offers in the console's region (`GET /cbr-features`)."""


class FeatureView(View):
    """One feature of `FeaturesView`, by its key (`GET /cbr-features/{key}`)."""

    key: str
    value: bool | str | list[str]
