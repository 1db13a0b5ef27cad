"""JupyterLab in Chinese without the news popup: the zh-CN language pack is a dependency of the
lab and dev extras, and tools/install_lab_settings.py (run by `make setup`) sets it as the
default with an overrides.json shipped in the repository."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import install_lab_settings  # noqa: E402

sys.path.pop(0)

PACK = "jupyterlab-language-pack-zh-CN"


def test_the_language_pack_is_a_dependency_of_lab_and_dev():
    text = (ROOT / "pyproject.toml").read_text("utf-8")  # (tomllib needs Python 3.11)
    for extra in ("lab", "dev"):
        block = re.search(rf"^{extra} = \[(.*?)^\]", text, flags=re.S | re.M)
        assert block and f'"{PACK}' in block.group(1), extra
    assert importlib.util.find_spec("jupyterlab_language_pack_zh_CN") is not None


def test_the_overrides_make_chinese_the_default_and_turn_the_news_off(tmp_path):
    path = install_lab_settings.target(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "x"}}), "utf-8")
    assert install_lab_settings.install(tmp_path) == path
    got = json.loads(path.read_text("utf-8"))
    assert got["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    news = got["@jupyterlab/apputils-extension:notification"]
    assert news["fetchNews"] == "false" and news["checkForUpdates"] is False
    assert got["@jupyterlab/apputils-extension:themes"] == {"theme": "x"}  # kept


def test_make_setup_installed_them_in_this_environment():
    path = install_lab_settings.target(sys.prefix)
    got = json.loads(path.read_text("utf-8"))
    assert got["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
