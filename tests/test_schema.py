"""Property-based API testing with schemathesis: no 5xx, and every response matches the schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

# The schema cannot say "contains a visible character": a question of only spaces or zero-width
# characters is schema-valid text that the API rightly refuses with a clear 400. Every other check
# (no 5xx, status codes, content types, response bodies matching the schema) stays on.
EXCLUDED = [positive_data_acceptance]


def test_api_conforms_to_its_schema(app: Any, client: Any) -> None:
    # In-process, through the whole app and its middleware (`client` has run the app's start-up).
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:  # noqa: ANN001
            response = case.call_and_validate(excluded_checks=EXCLUDED)
            assert response.status_code < 500
            assert "set-cookie" not in response.headers

        check()
