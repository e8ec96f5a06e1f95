"""schemathesis against the app's OpenAPI document, in-process: no 5xx, every response as declared."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402

from game.authoring import library  # noqa: E402
from game.classroom.app import create_app  # noqa: E402
from game.classroom.session import ClassSession  # noqa: E402
from game.classroom.store import Store  # noqa: E402


def _session(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("store") / "classroom.sqlite3")
    path, _loaded = library.load("tutoriel")
    return ClassSession.create(store, path)


@pytest.fixture(scope="module")
def app_and_session(tmp_path_factory):
    s = _session(tmp_path_factory)
    p = s.join("Schema")
    return create_app(s), s, p


def _real_packaging():
    """schemathesis imports PyPA's `packaging` lazily; tests/packaging (on sys.path as `packaging`)
    shadows it in this suite, so load the real one for schemathesis and put the test package back."""
    import importlib
    import sys

    here = {k: v for k, v in sys.modules.items() if k == "packaging" or k.startswith("packaging.")}
    tests_dir = str(__import__("pathlib").Path(__file__).resolve().parents[1])
    saved_path = list(sys.path)
    for k in here:
        del sys.modules[k]
    sys.path[:] = [p for p in sys.path if p not in (tests_dir, "")]
    try:
        importlib.import_module("packaging.version")
        importlib.import_module("schemathesis.specs.openapi.schemas")
    finally:
        sys.path[:] = saved_path
        for k in [k for k in sys.modules if k == "packaging" or k.startswith("packaging.")]:
            del sys.modules[k]
        sys.modules.update(here)


@pytest.fixture(scope="module")
def api_schema(app_and_session):
    app, _s, _p = app_and_session
    _real_packaging()
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_conforms(api_schema, app_and_session):
    from hypothesis import given
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    _app, s, p = app_and_session
    seen = 0
    for result in api_schema.get_all_operations():
        op = result.ok()
        if op.path.endswith("/stream"):
            continue  # an endless event stream; tested over real HTTP in test_api.py
        token = s.row.trainer_token if op.path.endswith(("/summary", "/control")) else p.row.token

        @given(case=op.as_strategy())
        @settings(max_examples=15, suppress_health_check=list(HealthCheck), deadline=None, database=None)
        def check(case):
            if case.path_parameters and hash(repr(case.body)) % 4:
                case.path_parameters["code"] = s.row.code  # mostly the real session, sometimes a random code
            # A pseudonym the schema allows may still be refused (control characters, only spaces: 422 by
            # design), so the "schema-valid data must be accepted" check is left out; every other holds.
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                   excluded_checks=[positive_data_acceptance])

        check()
        seen += 1
    assert seen == 6
