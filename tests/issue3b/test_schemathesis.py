"""Schemathesis against a generated REST app (real process) backed by an upstream that answers 200.

Every case is generated from the app's own OpenAPI document, valid (positive) and
invalid (negative). With an upstream that always succeeds, any 5xx is a bug of the
adapter: a validation gap, a crash or a header it cannot send.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests import upstream as upstream_module
from tests.issue3b.support import generate
from tests.servers import rest_server

EXAMPLES = 20


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out: Path = generate(tmp_path_factory.mktemp("fuzz"), "open_catalog.yaml")
    upstream = upstream_module.start()
    upstream.reply({"ok": True, "items": [1, 2]})
    try:
        with rest_server(out, "open_catalog", {"CATALOG_BASE_URL": upstream.url}) as url:
            yield url
    finally:
        upstream.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_no_server_errors(app_url: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(app_url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3
    seen: list[int] = []
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=app_url, timeout=10)
            seen.append(response.status_code)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            case.validate_response(response, checks=[not_a_server_error])

        check()
    # the run really exercised the app: valid cases reach the upstream, invalid ones are refused
    assert (200 in seen) if mode is GenerationMode.POSITIVE else (422 in seen)
