"""Make JupyterLab Chinese and quiet for this environment: install ``jupyter/lab/settings/
overrides.json`` (interface language 中文 from the zh-CN language pack, no news popup, no update
check) as the default settings of the JupyterLab in this Python environment.

``make setup`` runs it; on Windows: ``.venv\\Scripts\\python tools\\install_lab_settings.py``.
A user's own choices (Settings menu) still win over these defaults. An overrides.json already
there is merged: its other settings are kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "jupyter" / "lab" / "settings" / "overrides.json"


def target(prefix: str | Path = sys.prefix) -> Path:
    """Where JupyterLab of the environment at ``prefix`` reads its default overrides."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def install(prefix: str | Path = sys.prefix) -> Path:
    path = target(prefix)
    ours = json.loads(SOURCE.read_text(encoding="utf-8"))
    merged = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for plugin, settings in ours.items():
        merged.setdefault(plugin, {}).update(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    print(f"JupyterLab 默认设置(中文界面、不弹新闻): {install()}")
