"""What the API serves is what the README's table says, and what its OpenAPI description says."""

import re
from pathlib import Path

import requests

from cbr_tui.serve.api_operations import HANDLERS
from cbr_tui.v3.operations import OPERATIONS
from tests.api.conftest import ServedApi
from tests.api.test_signing import call

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_table() -> dict[str, tuple[str, bool]]:
    rows = re.findall(r"^\| `(\w+)` \| `([A-Z]+ [^`]+)` \| (yes|no) \|$", README.read_text(), re.MULTILINE)
    return {name: (request, served == "yes") for name, request, served in rows}


def test_the_readme_table_lists_every_sdk_operation_and_whether_it_is_served() -> None:
    table = readme_table()
    assert list(table) == [op.sdk_name for op in OPERATIONS]
    for op in OPERATIONS:
        assert table[op.sdk_name] == (f"{op.method} {op.path}", op.sdk_name in HANDLERS), op.sdk_name


def test_the_server_answers_as_the_table_says(served_api: ServedApi) -> None:
    """Each operation the table calls unserved is refused as such (501); each served one is routed to
    its handler (whatever the services then say of the made-up IDs, it is not 501)."""
    project = served_api.credential.project_id
    for op in OPERATIONS:
        path = re.sub(r"\{(\w+)\}", lambda m: project if m.group(1) == "project_id" else "made-up", op.path)
        answer = call(served_api, op.method, path, body=b"{}" if op.method in ("POST", "PUT") else b"")
        assert (answer.status_code == 501) == (op.sdk_name not in HANDLERS), (op.sdk_name, answer.text)
        assert answer.status_code != 500, (op.sdk_name, answer.text)


def test_the_openapi_description_is_served_without_a_signature(served_api: ServedApi) -> None:
    document = requests.get(served_api.endpoint + "/openapi.json", timeout=10).json()
    operations = [entry for path in document["paths"].values() for entry in path.values()]
    assert len(operations) == 74
    assert {e["x-sdk-method"] for e in operations if e["x-cbr-tui-served"]} == set(HANDLERS)
    create = document["paths"]["/v3/{project_id}/vaults"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/VaultCreateReq"}
    assert "VaultCreate" in document["components"]["schemas"]
