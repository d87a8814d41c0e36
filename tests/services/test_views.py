"""The services' typed answers: the console's extras print in the CLI's JSON, and never reach the API's."""

import json
from pathlib import Path

from click.testing import CliRunner

from cbr_tui.cli.output import emit
from cbr_tui.services.console import Console
from cbr_tui.services.views import VaultView
from cbr_tui.v3 import models as v3
from tests.services.helpers import buy


def test_a_vault_view_is_the_sdks_vault_inside_an_api_answer_and_whole_on_its_own(console: Console) -> None:
    vault = buy(console, size_gb=200, resources=("ecs-web-01",), name="vault-view", tags=[("env", "prod")])
    assert isinstance(vault, v3.Vault)  # a view is the v3 model, with the fields cbr-tui fills made required
    served = v3.ShowVaultResponse(vault=vault).wire()["vault"]
    assert set(served) == {field.alias or name for name, field in v3.Vault.model_fields.items()}
    assert {"policies", "updated_at", "backup_name_prefix"}.isdisjoint(served)
    assert set(served["billing"]) == {field.alias or name for name, field in v3.Billing.model_fields.items()}
    whole = vault.model_dump(mode="json")
    assert {"policies", "updated_at", "backup_name_prefix"} <= set(whole)
    assert {"period_type", "is_auto_renew", "expired_at"} <= set(whole["billing"])
    assert served["tags"] == whole["tags"] == [{"key": "env", "value": "prod"}]
    assert VaultView.model_validate(whole) == vault  # what the CLI prints reads back as the same view


def test_the_cli_prints_a_typed_answer_as_its_json(console: Console) -> None:
    page = console.vaults.list(limit=1)
    runner = CliRunner()
    with runner.isolation() as (out, _err, _both):
        emit({"page": page})
        printed = json.loads(out.getvalue())
    assert printed["page"] == page.model_dump(mode="json")
    assert printed["page"]["count"] == page.count


def test_every_view_builds() -> None:
    """A view of a v3 model needs that model built first (views/base.py builds the ones they extend): a view whose
    base was forgotten there fails here, not in a user's first request."""
    from pydantic import BaseModel

    from cbr_tui.services import views

    built = [cls for cls in vars(views).values()
             if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__.startswith(views.__name__)]
    assert len(built) > 40
    for cls in built:
        cls.model_rebuild()
        assert cls.__pydantic_complete__, cls.__name__


def test_no_service_operation_answers_with_a_dict_or_an_untyped_value() -> None:
    """The boundary of the front ends: every public operation of a service (and of the Console that holds
    them) is annotated with what it returns, and that is never a dict, `Any` or `object`, which a front end
    would read by key and which no type checker could follow."""
    import ast

    import cbr_tui.services

    untyped = []
    for module in sorted(Path(cbr_tui.services.__file__).parent.rglob("*.py")):
        for node in ast.parse(module.read_text()).body:
            if not (isinstance(node, ast.ClassDef) and (node.name.endswith("Service") or node.name == "Console")):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    answer = ast.unparse(item.returns) if item.returns is not None else "nothing said"
                    if any(word in answer for word in ("dict", "Any", "object", "nothing said")):
                        untyped.append(f"{module.name}: {node.name}.{item.name} -> {answer}")
    assert untyped == []
