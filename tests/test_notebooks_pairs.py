"""Every notebook is paired with a text file (jupytext.toml: notebooks/py/NN_标题.py, percent
format) that holds exactly its cells, so that a diff of the text file reads as code.

The .ipynb stays the notebook that analysts open and that test_notebooks.py executes; the text
file is its readable twin. After editing one side: ``.venv/bin/jupytext --sync notebooks/*.ipynb``
(the student's version: ``python tools/build_notebooks.py``).
"""

from __future__ import annotations

import sys

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT

jupytext = pytest.importorskip("jupytext")

sys.path.insert(0, str(ROOT / "tools"))
try:
    from build_notebooks import paired_text, same_text
finally:
    sys.path.pop(0)

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOK_PATHS]
FIX = "请运行 .venv/bin/jupytext --sync notebooks/*.ipynb / run jupytext --sync"


def _pair(path):
    nb = nbformat.read(path, as_version=4)
    pair = paired_text(path, nb)
    assert pair is not None, f"{path.name}: no paired text file in jupytext.toml"
    return nb, *pair


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=IDS)
def test_the_text_file_holds_the_notebooks_cells(path):
    _nb, text_path, expected = _pair(path)
    assert text_path.parent == NOTEBOOKS / "py"
    assert text_path.exists(), f"{text_path.name} missing: {FIX}"
    assert same_text(text_path.read_text(encoding="utf-8"), expected), (
        f"{text_path.name} stale: {FIX}"
    )


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=IDS)
def test_the_notebook_reads_back_unchanged_from_its_text_file(path):
    """JupyterLab with jupytext takes a notebook's inputs from its text file: they must be the
    notebook's own (sources, cell types and metadata such as tags and collapsed answers)."""
    nb, text_path, _expected = _pair(path)
    back = jupytext.read(text_path)
    assert [(c.cell_type, c.source, dict(c.metadata)) for c in back.cells] == [
        (c.cell_type, c.source, dict(c.metadata)) for c in nb.cells
    ]


def test_no_text_file_without_its_notebook():
    names = {p.stem for p in NOTEBOOK_PATHS}
    orphans = [p.name for p in (NOTEBOOKS / "py").glob("*.py") if p.stem not in names]
    assert not orphans, f"text files without a notebook: {orphans}"


def test_the_writers_version_in_the_header_is_not_compared():
    body = "# ---\n# jupyter:\n#   jupytext:\n#     text_representation:\n"
    old = body + "#       jupytext_version: 1.19.6\n# ---\nx = 1\n"
    assert same_text(old, old.replace("1.19.6", "1.20.0"))
    assert not same_text(old, old.replace("x = 1", "x = 2"))
