"""Schemathesis against the app's own OpenAPI schema, logged in, bounded: no request may end in a 5xx.

The app serves no ``/openapi.json`` (``openapi_url=None``: the schema is not public), so the test builds
the schema from the routes with FastAPI's own generator and hands it to schemathesis with the ASGI app.
Every operation gets up to ``JHP_SCHEMATHESIS_EXAMPLES`` generated cases (default 60; path ids, query
strings and form bodies), sent with the session cookie and CSRF header of a logged-in teamleider.

Left out, on purpose: ``POST /logout`` (it would end the session the test runs in) and the user page's
switches (``/gebruikers/{uid}/actief|wachtwoord``: random ids may disable the test user itself).  Both are
covered by tests/web/test_hardening.py.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from tests.web.conftest import client_for, login

schemathesis = pytest.importorskip("schemathesis", reason="Python-pakket schemathesis ontbreekt (pip install -e '.[dev]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402

EXAMPLES = int(os.environ.get("JHP_SCHEMATHESIS_EXAMPLES", "60"))
SKIPPED = {("POST", "/logout"), ("POST", "/gebruikers/{uid}/actief"), ("POST", "/gebruikers/{uid}/wachtwoord")}


def _schema(app):
    from fastapi.openapi.utils import get_openapi

    raw = get_openapi(title="Jeugdhulp Planner", version="test", routes=app.routes)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    return schema


def _operations(schema):
    for result in schema.get_all_operations():
        op = result.ok()
        if (op.method.upper(), op.path) not in SKIPPED:
            yield op


def test_no_operation_answers_with_a_server_error(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "tl")
    # one plan exists, so ids of real plans are among the cases too
    headers = {"X-CSRF-Token": token, "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    schema = _schema(sqlite_app)
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    operations = list(_operations(schema))
    assert len(operations) >= 40, [f"{o.method} {o.path}" for o in operations]

    for op in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        run()

    total = sum(statuses.values())
    print(f"schemathesis: {len(operations)} operaties, {total} verzoeken, statussen {dict(sorted(statuses.items()))}")
    assert total >= len(operations)
    assert not errors, errors[:20]
