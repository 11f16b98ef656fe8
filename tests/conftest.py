from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def schema():
    from cdktf_fix.schema import load_index

    return load_index()


@pytest.fixture(scope="session")
def engine(schema):
    from cdktf_fix.engine import Engine

    return Engine(schema)


@pytest.fixture
def repair(schema):
    """Repair a source string with the given options; returns the RepairResult."""
    from cdktf_fix.engine.options import Options
    from cdktf_fix.engine import Engine

    def run(source: str, target=None, **options):
        """``target``: requirement strings (``["cdktn"]``), else the default target."""
        from cdktf_fix.schema import load_index

        return Engine(load_index(target) if target else schema, Options(**options)).repair(source)

    return run
