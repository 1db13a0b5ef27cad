"""The house rules, checked (issue 29; docs/architecture.md explains them):

- the layers contract of pyproject.toml (import-linter) holds, and fails on an upward import;
- every package face is a docstring, import lines and ``__all__``, which names exactly what the
  face imports (a lazy face: its ``_EXPORTS`` table and ``lazy_exports``);
- no function of the package has more than 80 lines of code.
"""

from __future__ import annotations

import ast
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xinfang_toolkit"

#: most lines of code a function may have (blank, comment and docstring lines not counted)
MOST_LINES = 80


# --- the layers contract ------------------------------------------------------------------------


def _lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` run in ``folder`` (its pyproject.toml, its copy of the package)."""
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--config", str(folder / "pyproject.toml")],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_contract_holds():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _copy_sources(tmp_path: Path) -> Path:
    """The package's Python files and pyproject.toml copied under ``tmp_path``."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")

    def not_python(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if not n.endswith(".py") and not Path(folder, n).is_dir()]

    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(
        PACKAGE,
        tmp_path / PACKAGE.name,
        ignore=lambda folder, names: [*ignore(folder, names), *not_python(folder, names)],
    )
    return tmp_path


def test_the_layers_contract_fails_on_an_upward_import(tmp_path):
    folder = _copy_sources(tmp_path)
    schema = folder / "xinfang_toolkit" / "schema.py"
    schema.write_text(
        schema.read_text(encoding="utf-8") + "\nfrom xinfang_toolkit import widgets\n"
    )
    done = _lint_imports(folder)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout
    assert "xinfang_toolkit.schema -> xinfang_toolkit.widgets" in done.stdout, done.stdout


def test_the_ground_floor_imports_nothing_of_the_package(tmp_path):
    folder = _copy_sources(tmp_path)
    base = folder / "xinfang_toolkit" / "_base" / "__init__.py"
    base.write_text(base.read_text(encoding="utf-8") + "\nfrom .._atomic import check_outputs\n")
    done = _lint_imports(folder)
    assert done.returncode != 0, done.stdout
    assert "xinfang_toolkit._base -> xinfang_toolkit._atomic" in done.stdout, done.stdout


# --- package faces -------------------------------------------------------------------------------


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _target(node: ast.stmt) -> str | None:
    """The single name an assignment binds (``x = ...`` or ``x: T = ...``)."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        return getattr(node.targets[0], "id", None)
    return None


def _is_lazy_call(node: ast.stmt) -> bool:
    """``lazy_exports(__name__, _EXPORTS)``: the lazy face's one call."""
    call = node.value if isinstance(node, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and getattr(call.func, "id", None) == "lazy_exports"
        and [getattr(a, "id", None) for a in call.args] == ["__name__", "_EXPORTS"]
    )


def _face(path: Path, *, top: bool = False) -> tuple[list[str], set[str], list[str] | None]:
    """A face's statements that break the style, the names it imports (or lists in
    ``_EXPORTS``) and its ``__all__`` (None when it has none)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrong, names, exported = [], set(), None
    body = tree.body
    if not body or not _is_docstring(body[0]):
        wrong.append("the face starts without a docstring")
    for node in body[1:]:
        target = _target(node)
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.ImportFrom):
            imported = {a.asname or a.name for a in node.names}
            names |= imported - {"lazy_exports"} if node.module == "_lazy" else imported
        elif isinstance(node, ast.Import):
            names |= {a.asname or a.name.partition(".")[0] for a in node.names}
        elif target == "_EXPORTS" and isinstance(node.value, ast.Dict):
            names |= {ast.literal_eval(key) for key in node.value.keys}
        elif target == "__all__" and isinstance(node.value, ast.List):
            exported = [ast.literal_eval(item) for item in node.value.elts]
        elif _is_lazy_call(node) or (top and target == "__version__"):
            continue
        else:
            wrong.append(f"line {node.lineno}: {ast.unparse(node).splitlines()[0]}")
    return wrong, names, exported


def _faces() -> list[str]:
    return sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


@pytest.mark.parametrize("room", _faces())
def test_each_face_is_imports_and_all(room):
    wrong, names, exported = _face(PACKAGE / room / "__init__.py")
    assert not wrong, f"{room}/__init__.py holds more than a face: {wrong}"
    if exported is None:
        assert not names, f"{room}/__init__.py imports {sorted(names)} but has no __all__"
        return
    assert len(set(exported)) == len(exported), f"{room}: a name twice in __all__"
    assert set(exported) == names, (
        f"{room}/__init__.py: __all__ without {sorted(names - set(exported))}, "
        f"__all__ naming what it does not import: {sorted(set(exported) - names)}"
    )
    module = importlib.import_module(f"xinfang_toolkit.{room}")
    assert all(getattr(module, name, None) is not None for name in exported)


def test_the_top_level_face_lists_every_lazy_name():
    wrong, names, exported = _face(PACKAGE / "__init__.py", top=True)
    assert not wrong, wrong
    assert exported is not None and len(set(exported)) == len(exported)
    assert set(exported) == names


# --- function length -----------------------------------------------------------------------------


def _docstring_lines(node: ast.AST) -> set[int]:
    """The lines of the docstrings of ``node`` and of every function or class inside it."""
    lines: set[int] = set()
    for inner in ast.walk(node):
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if isinstance(inner, kinds) and inner.body and _is_docstring(inner.body[0]):
            first = inner.body[0]
            lines |= set(range(first.lineno, first.end_lineno + 1))
    return lines


def _code_lines(node: ast.AST, source: list[str]) -> int:
    """Lines of code of a function: blank, comment and docstring lines not counted."""
    skip = _docstring_lines(node)
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return sum(
        1
        for number in range(first, node.end_lineno + 1)
        if number not in skip and source[number - 1].strip()[:1] not in ("", "#")
    )


def _functions(tree: ast.Module):
    """(qualified name, node) of every function, methods and nested functions included."""

    def walk(node: ast.AST, prefix: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    yield name, child
                yield from walk(child, f"{name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def _long_functions() -> dict[str, int]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        source = text.splitlines()
        for name, node in _functions(ast.parse(text)):
            lines = _code_lines(node, source)
            if lines > MOST_LINES:
                found[f"{path.relative_to(PACKAGE).as_posix()}::{name}"] = lines
    return found


def test_no_function_exceeds_80_lines_of_code():
    long = _long_functions()
    assert not long, f"functions over {MOST_LINES} lines of code (cut into named steps): {long}"


def test_the_line_count_skips_blanks_comments_and_docstrings():
    text = 'def f():\n    """Doc.\n\n    More."""\n\n    # a comment\n    x = 1\n    return x\n'
    (name, node), *_ = _functions(ast.parse(text))
    assert name == "f" and _code_lines(node, text.splitlines()) == 3
