"""Build the student version of the training notebook from the trainer's (one source).

``notebooks/00_新手入门.ipynb`` is the trainer's version and the source: every exercise answer
is a code cell tagged ``answer``, every trainer note a markdown cell tagged ``trainer``. The
student's version ``notebooks/00_新手入门_学员版.ipynb`` is generated from it:

- each answer gets an empty cell above it to try in (tagged ``try``), and the answer itself is
  collapsed (JupyterLab shows a bar; a click opens it), its outputs too;
- the trainer's notes are left out; the title says 学员版.

Run ``python tools/build_notebooks.py`` after editing the trainer's version; ``--check``
exits 1 when the student's version is out of date (the test suite runs it). The student's
notebook is paired with a text file like every notebook (``jupytext.toml``: notebooks/py/): with
jupytext installed (the dev set-up) that file is written and checked too.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TRAINER = ROOT / "notebooks" / "00_新手入门.ipynb"
STUDENT = ROOT / "notebooks" / "00_新手入门_学员版.ipynb"

# no newline at the end: the cell reads back the same from its paired text file (jupytext)
TRY = "# 在这里写你的代码,先自己试一试(下面折叠的格子里是答案)"
INTRO = (
    "> **学员版**:每道练习下面有一个空白格,可以自己写代码试;答案收在折叠的格子里"
    "(点格子左侧的小条展开)。教师版是 `00_新手入门.ipynb`。\n\n"
)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def student_version(trainer: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student's notebook built from the trainer's (see the module)."""
    nb = copy.deepcopy(trainer)
    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if "trainer" in tags:
            continue
        if cell.cell_type == "markdown" and cell.source.startswith("# ") and not cells:
            title, _, rest = cell.source.partition("\n")
            cell.source = f"{title}(学员版)\n\n{INTRO}{rest.lstrip()}"
        if cell.cell_type == "code" and "answer" in tags:
            cells.append(
                nbformat.v4.new_code_cell(TRY, id=f"{cell.id}-try"[:64], metadata={"tags": ["try"]})
            )
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        cells.append(cell)
    nb.cells = cells
    return nb


def _text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def paired_text(path: Path, nb: nbformat.NotebookNode) -> tuple[Path, str] | None:
    """The text file paired with the notebook at ``path`` (by ``jupytext.toml``) and what it
    should hold for ``nb``; None without jupytext or for a notebook outside the pairing."""
    try:
        import jupytext
        from jupytext.config import load_jupytext_config
        from jupytext.formats import long_form_multiple_formats
        from jupytext.paired_paths import InconsistentPath, paired_paths
    except ImportError:
        return None
    config = load_jupytext_config(str(path))
    if config is None:
        return None
    formats = long_form_multiple_formats(config.default_formats(str(path)))
    try:
        pairs = paired_paths(str(path), "ipynb", formats)
    except InconsistentPath:
        return None
    for other, fmt in pairs:
        if fmt["extension"] != ".ipynb":
            fmt = dict(fmt)
            config.set_default_format_options(fmt)
            return Path(other), jupytext.writes(nb, fmt=fmt)
    return None


#: the header line of a paired text file naming the jupytext that wrote it (not compared)
_WRITER_LINE = re.compile(r"^#\s+jupytext_version: .*\n", re.M)


def same_text(written: str, expected: str) -> bool:
    """A text file holds what it should, whichever jupytext version wrote its header."""
    return _WRITER_LINE.sub("", written) == _WRITER_LINE.sub("", expected)


def _stale(path: Path, expected: str) -> bool:
    return not same_text(path.read_text(encoding="utf-8") if path.exists() else "", expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成学员版新手入门笔记本")
    parser.add_argument("--check", action="store_true", help="只检查学员版是否与教师版同步")
    args = parser.parse_args(argv)
    student = student_version(nbformat.read(TRAINER, as_version=4))
    expected = {STUDENT: _text(student)}
    # the text file of the notebook as read back from disk (keys in the file's sorted order)
    pair = paired_text(STUDENT, nbformat.reads(expected[STUDENT], as_version=4))
    if pair is not None:
        expected[pair[0]] = pair[1]
    if args.check:
        stale = [path for path, text in expected.items() if _stale(path, text)]
        for path in stale:
            print(f"{path.name} 与 {TRAINER.name} 不同步:请运行 python tools/build_notebooks.py")
        return 1 if stale else 0
    for path, text in expected.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"已生成 {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
