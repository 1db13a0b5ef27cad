"""Shared test set-up. Warnings are errors (pyproject: filterwarnings = error)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings
from slow_tests import SLOW

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
NOTEBOOKS = ROOT / "notebooks"

# Shared CI machines are slow and noisy: no deadlines on property tests.
settings.register_profile("ci", deadline=None, max_examples=200)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(config, items):
    """The tests listed in tests/slow_tests.py are marked ``slow`` (left out by `make test-fast`,
    ``-m "not slow"``), assigned here rather than in each test file."""
    for item in items:
        module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
        names = SLOW.get(module, ())
        if "*" in names or getattr(item, "originalname", item.name) in names:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def sample_data_dir() -> Path:
    return SAMPLE_DATA


@pytest.fixture(autouse=True, scope="session")
def _office_secret(tmp_path_factory):
    """Pseudonymous keys use the office's secret file (privacy.office_salt): the tests keep it
    in a folder of their own, never in the user's data folder (subprocesses inherit it)."""
    from xinfang_toolkit.privacy import SALT_ENV

    old = os.environ.get(SALT_ENV)
    os.environ[SALT_ENV] = str(tmp_path_factory.mktemp("office") / "office_secret.key")
    yield
    if old is None:
        os.environ.pop(SALT_ENV, None)
    else:
        os.environ[SALT_ENV] = old
