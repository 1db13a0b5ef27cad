"""Check the offline bundle as an office would use it: install it with no network and run it.

    python tools/bundle_check.py              # build dist/…-offline (downloads), then check it
    python tools/bundle_check.py --bundle DIR # check a bundle built before (no download)

1. Completeness: for every target (Windows and Linux, Python 3.11 and 3.12) pip resolves
   ``xinfang_toolkit[lab]`` from the bundle's wheels alone (``--no-index``), and every resolved
   distribution is a wheel of the bundle; a pure-Python wheel counts.
2. Offline install: the zip is unpacked into a new folder and ``install.sh`` runs inside a
   network namespace with no network (``unshare -n``, as root; only loopback is up, for the
   Jupyter kernel), for each local Python among 3.11 and 3.12. Without ``unshare`` the install
   still runs with ``--no-index`` only, and the summary says it was not network-isolated.
3. Use, in the same namespace: ``xinfang report sample_data`` writes its Word and Excel files,
   notebook 00 executes top to bottom, ``xinfang doctor`` finds no problem.

Not part of ``make test`` (it downloads several hundred MB): ``make bundle-check`` runs it.
Prints the bundle size, the offline install time per Python and each result; exit 0 when all pass.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle  # noqa: E402  (the sibling script)


def _isolation() -> list[str]:
    """The command prefix that runs a shell with no network, or [] where that is impossible."""
    unshare = shutil.which("unshare")
    if unshare and hasattr(os, "geteuid") and os.geteuid() == 0:
        probe = subprocess.run([unshare, "-n", "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, "-n"]
    return []


def _in_isolation(prefix: list[str], script: str, cwd: Path, env: dict) -> tuple[int, str, float]:
    """Run ``script`` (sh) in the namespace with loopback up; return code, output, seconds."""
    lo = "ip link set lo up 2>/dev/null || true\n" if prefix else ""
    started = time.perf_counter()
    done = subprocess.run(
        [*prefix, "sh", "-c", lo + script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - started


def _clean_env(python: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index or find-links from this machine's pip.conf
    env["PIP_NO_INDEX"] = "1"
    env["PYTHON"] = python
    env.pop("PYTHONPATH", None)
    return env


def _local_pythons() -> list[str]:
    """Python 3.11 and 3.12 of this machine that can make a venv: on PATH, or pyenv's."""
    found = []
    for ver in ("3.11", "3.12"):
        candidates = [shutil.which(f"python{ver}")]
        candidates += sorted(
            str(p) for p in (Path.home() / ".pyenv" / "versions").glob(f"{ver}*/bin/python{ver}")
        )
        for exe in filter(None, candidates):
            done = subprocess.run([exe, "-c", "import venv, ensurepip"], capture_output=True)
            if done.returncode == 0:
                found.append(exe)
                break
    return found


def check_completeness(folder: Path) -> list[str]:
    problems = []
    for target in bundle.TARGETS:
        try:
            resolved = bundle.resolve(folder / "wheels", target)
        except SystemExit as exc:
            problems.append(f"{target.name}: {exc}")
            continue
        print(f"  完整 / complete {target.name}: {len(resolved)} 个包 / distributions")
    return problems


USE = """
set -e
.venv/bin/xinfang report sample_data -o out/report.docx --xlsx out/report.xlsx || [ $? -eq 1 ]
test -s out/report.docx && test -s out/report.xlsx
.venv/bin/python - <<'EOF'
import docx, openpyxl
doc = docx.Document("out/report.docx")
text = "\\n".join(p.text for p in doc.paragraphs)
assert "信访" in text, "the report has no text"
assert openpyxl.load_workbook("out/report.xlsx").sheetnames
print("report ok:", len(text), "characters")
EOF
cd notebooks
../.venv/bin/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \\
  --output /tmp/_bundle_nb00_$$.ipynb 00_新手入门.ipynb
cd ..
.venv/bin/python - /tmp/_bundle_nb00_$$.ipynb <<'EOF'
import json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
ran = sum(1 for c in nb["cells"] if c["cell_type"] == "code" and c.get("execution_count"))
assert not errors and ran, (errors, ran)
print("notebook 00 ok:", ran, "cells ran")
EOF
rm -f /tmp/_bundle_nb00_$$.ipynb
.venv/bin/xinfang doctor
"""


def check_install(archive: Path, python: str, prefix: list[str]) -> tuple[bool, float, str]:
    """Unpack the zip, install with no network, use it; (passed, install seconds, log)."""
    with tempfile.TemporaryDirectory(prefix="bundle-check-") as tmp:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
        folder = next(Path(tmp).iterdir())
        env = _clean_env(python)
        code, out, took = _in_isolation(prefix, "sh install.sh", folder, env)
        if code != 0:
            return False, took, out
        code, used, _ = _in_isolation(prefix, USE, folder, env)
        return code == 0, took, out[-2000:] + used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=None, help="a bundle folder built before")
    args = parser.parse_args(argv)
    folder = args.bundle or bundle.build(bundle.ROOT / "dist")
    archive = bundle.zip_path(folder)
    if not archive.is_file():
        bundle._zip(folder, archive)
    size = archive.stat().st_size / 2**20
    print(f"\n离线安装包 / bundle: {archive} ({size:.0f} MiB)")
    problems = check_completeness(folder)
    prefix = _isolation()
    if not prefix:
        print("注意：无法建立无网络的命名空间（需要 root 和 unshare），只用 --no-index 安装")
    pythons = _local_pythons()
    if not pythons:
        problems.append("本机没有 Python 3.11 或 3.12，无法试装 / no local Python 3.11 or 3.12")
    for python in pythons:
        ok, took, log = check_install(archive, python, prefix)
        where = "无网络 / no network" if prefix else "--no-index"
        print(
            f"  试装 / install with {Path(python).name} ({where}): {took:.0f} s, "
            f"{'通过 / passed' if ok else '失败 / FAILED'}"
        )
        for line in log.splitlines():
            if line.startswith(("report ok", "notebook 00 ok", "[问题]", "一切正常", "可以使用")):
                print("    " + line)
        if not ok:
            print(log[-6000:])
            problems.append(
                f"{Path(python).name}: 离线安装或使用失败 / offline install or use failed"
            )
    if problems:
        print("\n未通过 / FAILED:\n- " + "\n- ".join(problems))
        return 1
    print("\n全部通过 / all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
