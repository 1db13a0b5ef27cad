"""The Voila launcher (make app): its arguments and the page template it ships."""

from __future__ import annotations

import json
import os
import re

import pytest

from xinfang_toolkit.widgets import app


def test_argv_has_local_defaults_and_the_template_and_options_win():
    argv = app.voila_argv("nb.ipynb")
    assert argv[0] == "nb.ipynb"
    assert "--Voila.ip=127.0.0.1" in argv and "--port=8866" in argv
    assert f"--template={app.TEMPLATE}" in argv and "--show_tracebacks=False" in argv
    argv = app.voila_argv("nb.ipynb", ["--port=9000", "--preheat_kernel=False"])
    assert "--port=8866" not in argv and "--port=9000" in argv
    assert "--preheat_kernel=True" not in argv and "--preheat_kernel=False" in argv


def test_template_is_shipped_and_asks_no_outside_server():
    folder = app.template_root() / "voila" / "templates" / app.TEMPLATE
    conf = json.loads((folder / "conf.json").read_text(encoding="utf-8"))
    assert conf["base_template"] == "lab"
    page = (folder / "index.html.j2").read_text(encoding="utf-8")
    assert not re.search(r"https?://", page)
    # the blocks of the lab template that link CDNs are replaced
    assert "block notebook_css" in page and "block html_head_js_mermaidjs" in page
    assert "正在加载…" in page and "信访数据看板" in page


def test_template_path_is_put_first_on_jupyter_path():
    env = app._with_template_path({"JUPYTER_PATH": "/other"})
    first, *rest = env["JUPYTER_PATH"].split(os.pathsep)
    assert first == str(app.template_root()) and rest == ["/other"]
    assert app._with_template_path({})["JUPYTER_PATH"] == str(app.template_root())


def test_help_and_a_missing_notebook(capsys, tmp_path):
    app.main(["--help"])
    assert "用法" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        app.main([str(tmp_path / "nope.ipynb")])
    assert exc.value.code == 2
    assert "找不到笔记本文件" in capsys.readouterr().err
