"""The list of slow tests (tests/slow_tests.py, left out by `make test-fast`) names tests that
exist: a renamed or removed test must leave the list too."""

from __future__ import annotations

from conftest import ROOT
from slow_tests import SLOW


def test_every_listed_slow_test_exists():
    missing = []
    for module, names in SLOW.items():
        path = ROOT / "tests" / f"{module}.py"
        if not path.exists():
            missing.append(f"{module}.py")
            continue
        text = path.read_text(encoding="utf-8")
        missing += [f"{module}::{n}" for n in names if n != "*" and f"def {n}(" not in text]
    assert not missing, f"tests/slow_tests.py names tests that do not exist: {missing}"
