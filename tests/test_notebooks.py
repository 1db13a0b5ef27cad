"""Every notebook runs top to bottom on sample_data, and is committed clean.

The notebooks are executable documents (like splink's and itables' examples): each one is run in
a fresh kernel with cwd=notebooks/, exactly as an analyst opens it, with no edits.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import NOTEBOOKS

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOK_PATHS]


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=IDS)
def test_notebook_is_committed_clean_and_teaches(path):
    nb = nbformat.read(path, as_version=4)
    assert re.match(r"^\d\d_", path.name), "notebooks are numbered: NN_标题.ipynb"
    for cell in _code_cells(nb):
        assert not cell.get("outputs"), f"{path.name}: outputs must be stripped"
        assert cell.get("execution_count") is None, (
            f"{path.name}: execution counts must be stripped"
        )
    first_md = next(c for c in nb.cells if c.cell_type == "markdown")
    assert first_md.source.lstrip().startswith("# "), "the notebook opens with a title"
    assert re.search(r"[\u4e00-\u9fff]", first_md.source), "the title is in Chinese"
    first_code = _code_cells(nb)[0]
    assert "parameters" in first_code.metadata.get("tags", []), (
        f"{path.name}: the first code cell is the parameters cell (tag 'parameters')"
    )
    n_md = sum(c.cell_type == "markdown" for c in nb.cells)
    assert n_md >= 3, f"{path.name}: explain the steps in markdown cells"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=IDS)
def test_notebook_runs_top_to_bottom(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    warnings = []
    for cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                if "Warning" in out.get("text", ""):
                    warnings.append(out["text"][:500])
    assert not warnings, f"{path.name} printed warnings:\n" + "\n".join(warnings)
