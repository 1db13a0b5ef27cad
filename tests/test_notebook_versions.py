"""The training notebook in two versions from one source: the trainer's (answers and notes)
and the student's (a cell to try in above each answer, answers collapsed, no notes)."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
from conftest import NOTEBOOKS, ROOT

TRAINER = NOTEBOOKS / "00_新手入门.ipynb"
STUDENT = NOTEBOOKS / "00_新手入门_学员版.ipynb"


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_the_student_version_is_in_sync_with_the_trainers():
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_check_fails_when_the_student_version_is_stale(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_notebooks
    finally:
        sys.path.pop(0)
    stale = tmp_path / "学员版.ipynb"
    stale.write_text(STUDENT.read_text(encoding="utf-8").replace("练习 4", "练习四"), "utf-8")
    monkeypatch.setattr(build_notebooks, "STUDENT", stale)
    assert build_notebooks.main(["--check"]) == 1
    assert build_notebooks.main([]) == 0 and build_notebooks.main(["--check"]) == 0


def test_trainer_has_answers_and_notes_student_has_cells_to_try_and_hidden_answers():
    trainer = nbformat.read(TRAINER, as_version=4)
    student = nbformat.read(STUDENT, as_version=4)
    answers = [c for c in trainer.cells if "answer" in _tags(c)]
    notes = [c for c in trainer.cells if "trainer" in _tags(c)]
    assert len(answers) >= 10 and len(notes) >= len(answers) - 1
    assert not [c for c in student.cells if "trainer" in _tags(c)]
    for i, cell in enumerate(student.cells):
        if "answer" in _tags(cell):
            before = student.cells[i - 1]
            assert "try" in _tags(before) and before.source.startswith("#")
            assert cell.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert "学员版" in student.cells[0].source


def test_an_exercise_per_theme_and_the_next_steps():
    text = "\n".join(c.source for c in nbformat.read(TRAINER, as_version=4).cells)
    for n in ("01", "02", "03", "05", "06"):
        assert re.search(rf"\*\*练习 \d+\*\*[^\n]*笔记本 {n}", text), n
    assert "FilterPanel" in text  # the dashboard's filters (04) in exercise 5
    steps = text[text.index("## 10. 下一步") :]
    assert "06_台账归档与月度变化" in steps and "07" in steps
    # exercise 4 counts visits as the report does (it taught 24 批 of every channel)
    assert "visit_flags" in text
