"""The xinfang command: outputs, masking, exit codes, help text; called through main([...])."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from docx import Document
from test_report_ledger import END, START, TODAY, ledger

from xinfang_toolkit.cli import main
from xinfang_toolkit.schema import CASE_COLUMNS, LABELS_ZH

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def _write_csv(path, *, undated: bool = True):
    df = ledger()
    if not undated:
        df = df[df["received_date"].notna()]
    df.loc[df["case_id"] == "C3", "summary"] = HOSTILE
    df[list(CASE_COLUMNS)].rename(columns=LABELS_ZH).to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture
def ledger_csv(tmp_path):
    return _write_csv(tmp_path / "台账.csv")


def _secrets():
    df = ledger()
    return [v for col in ("petitioner", "id_number", "phone") for v in df[col].dropna()]


def _xlsx_text(path) -> str:
    wb = openpyxl.load_workbook(path)
    return " ".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    )


def test_help_in_chinese_and_english(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "统计汇报" in out and "report" in out and "退出码 / exit codes" in out
    for cmd, zh, en in (
        ("load", "清洗", "cleaned cases"),
        ("report", "同比", "compare with last year"),
        ("classify", "复核", "needs-review"),
    ):
        assert main([cmd, "--help"]) == 0
        text = capsys.readouterr().out
        assert zh in text and en in text, cmd


def test_load_writes_masked_cases_issues_and_excluded(ledger_csv, tmp_path):
    out = tmp_path / "out"
    assert main(["load", str(ledger_csv), "-o", str(out)]) == 1  # U1 has no date: an issue
    for name in ("案件清单", "问题清单", "排除清单", "表头对照"):
        assert (out / f"{name}.xlsx").is_file()
    ws = openpyxl.load_workbook(out / "案件清单.xlsx")["案件清单"]
    assert ws.max_row == 1 + 14 and ws["A1"].value == "信访件编号"
    text = " ".join(_xlsx_text(out / f"{n}.xlsx") for n in ("案件清单", "问题清单", "排除清单"))
    for secret in _secrets():
        assert secret not in text
    assert "李*国" in text and "'" + HOSTILE in text
    issues = openpyxl.load_workbook(out / "问题清单.xlsx")["问题清单"]
    assert "缺少登记日期" in {c.value for c in issues["F"]}


def test_load_several_files_keeps_a_case_read_twice_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write_csv(folder / "a.csv", undated=False)
    _write_csv(folder / "b.csv", undated=False)
    out = tmp_path / "out"
    assert main(["load", str(folder), "-o", str(out), "--format", "csv"]) == 1
    cases = pd.read_csv(out / "案件清单.csv", encoding="utf-8-sig")
    issues = pd.read_csv(out / "问题清单.csv", encoding="utf-8-sig")
    assert len(cases) == 13 and set(cases["来源文件"]) == {"a.csv"}
    assert len(issues) == 13 and issues["来源文件"].eq("b.csv").all()


def test_load_csv_format_is_neutralised_and_masked(ledger_csv, tmp_path):
    out = tmp_path / "csv"
    assert main(["load", str(ledger_csv), "-o", str(out), "--format", "csv"]) == 1
    text = (out / "案件清单.csv").read_text(encoding="utf-8-sig")
    assert "'" + HOSTILE.replace('"', '""') in text
    for secret in _secrets():
        assert secret not in text


def test_load_without_problems_exits_0(tmp_path):
    path = _write_csv(tmp_path / "clean.csv", undated=False)
    assert main(["load", str(path), "-o", str(tmp_path / "o")]) == 0


def test_report_hand_counted(ledger_csv, tmp_path, capsys):
    docx, xlsx = tmp_path / "r" / "report.docx", tmp_path / "r" / "report.xlsx"
    args = ["report", str(ledger_csv), "--from", START, "--to", END, "--today", TODAY]
    rc = main(args + ["--compare", "yoy", "-o", str(docx), "--xlsx", str(xlsx), "--no-charts"])
    assert rc == 1  # output written, and the undated row reported
    captured = capsys.readouterr()
    assert "需要核对" in captured.err
    paras = [p.text for p in Document(str(docx)).paragraphs]
    body = "\n".join(paras)
    assert "共受理群众信访9件22人次" in body
    assert "来访中，进京2批3人次，到市2批14人次" in body
    assert "按期办结率80%" in body and "同比分别上升800%和633.3%" in body
    assert "五、存在的问题和困难" in body and "六、下一步工作打算" in body
    # categories are classified first: local names counted under the national classes
    # national classes (the ledger's 其他 is no national class: 未分类, shown with its 原分类)
    assert "涉及国土资源3件、民政3件、政法1件和未分类2件" in body
    assert "共受理群众信访9件22人次" in captured.out
    text = _xlsx_text(xlsx)
    for secret in _secrets():
        assert secret not in text


def test_report_profile_and_scheme(ledger_csv, tmp_path, capsys):
    args = ["report", str(ledger_csv), "--from", START, "--to", END, "--today", TODAY]
    assert main(args + ["--profile", "区", "--no-charts", "-o", str(tmp_path / "q.docx")]) == 1
    out = capsys.readouterr().out
    assert "我区共受理群众信访9件22人次" in out and "到区1批1人次" in out
    assert "涉及三农问题6件、其他1件和未分类2件" in out  # 区 reports in 五类问题
    assert main(args + ["--scheme", "全国分类", "-o", str(tmp_path / "n.docx")]) == 1
    assert "涉及国土资源3件" in capsys.readouterr().out
    assert main(args + ["--profile", "省", "-o", str(tmp_path / "s.docx")]) == 2
    assert "没有这个报告档次" in capsys.readouterr().err
    assert not (tmp_path / "s.docx").exists()


def test_report_no_classify_keeps_the_ledger_categories(ledger_csv, tmp_path, capsys):
    args = ["report", str(ledger_csv), "--from", START, "--to", END, "--today", TODAY]
    assert main(args + ["--no-classify", "--no-charts", "-o", str(tmp_path / "n.docx")]) == 1
    assert (
        "涉及土地纠纷3件、民政救济3件、民事纠纷1件、其他1件和未分类1件" in capsys.readouterr().out
    )


def test_report_default_period_is_the_data_months(ledger_csv, tmp_path):
    docx = tmp_path / "d.docx"
    args = ["report", str(ledger_csv), "--today", TODAY, "-o", str(docx), "--no-charts"]
    assert main(args + ["--issuer", "某县信访局", "--issue-date", "2021-06-01"]) == 1
    paras = [p.text for p in Document(str(docx)).paragraphs]
    assert paras[paras.index("某县信访局") + 1] == "2021年6月1日"
    title = paras[0]
    # P0 (2020-03-01) is the first case, X1 (2021-05-01) the last: their whole months
    assert title == "信访工作情况报告\n（2020年3月1日至2021年5月31日）"


def test_unusable_input_exits_2(tmp_path, ledger_csv, capsys):
    assert main(["load", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path)]) == 2
    assert "找不到" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["load", str(tmp_path / "empty"), "-o", str(tmp_path)]) == 2
    bad_date = ["report", str(ledger_csv), "--from", "昨天", "-o", str(tmp_path / "x.docx")]
    assert main(bad_date) == 2
    assert "不是有效日期" in capsys.readouterr().err
    assert main(["report", str(ledger_csv), "--compare", "weekly", "-o", "x.docx"]) == 2
    assert main(["load", str(ledger_csv)]) == 2  # -o is required
    assert main([]) == 2


def test_classify_writes_categories_masked(ledger_csv, tmp_path, capsys):
    out = tmp_path / "cls"
    assert main(["classify", str(ledger_csv), "-o", str(out)]) == 1
    ws = openpyxl.load_workbook(out / "分类结果.xlsx")["分类结果"]
    header = [c.value for c in ws[1]]
    assert "建议分类" in header and "分类依据" in header
    assert ws.max_row == 1 + 14
    for secret in _secrets():
        assert secret not in _xlsx_text(out / "分类结果.xlsx")
    assert "需要人工复核" in capsys.readouterr().out


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    from xinfang_toolkit.cli import entry

    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "xinfang"]
    assert ep.load() is entry  # main(), then a late Ctrl-C cannot kill the shutdown


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "xinfang_toolkit" in capsys.readouterr().out


def test_the_module_runs_as_the_program():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "xinfang_toolkit.cli", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "xinfang_toolkit" in done.stdout, done.stderr


def test_every_command_has_help_with_the_exit_codes(capsys):
    from xinfang_toolkit.cli import build_parser

    commands = ("load", "report", "classify", "archive", "dossier")
    for command in commands:
        assert main([command, "--help"]) == 0
        assert "退出码 / exit codes" in capsys.readouterr().out, command
    assert build_parser().prog == "xinfang"


@pytest.mark.slow
def test_demo_commands_on_sample_data(sample_data_dir, tmp_path):
    # sample_data/ ships with the repository (make demo, the README): missing is a failure
    assert any(sample_data_dir.glob("*.*")), sample_data_dir
    out = tmp_path / "out"
    assert main(["load", str(sample_data_dir), "-o", str(out)]) in (0, 1)
    assert (out / "案件清单.xlsx").is_file()
    rc = main(
        [
            "report",
            str(sample_data_dir),
            "-o",
            str(out / "report.docx"),
            "--xlsx",
            str(out / "report.xlsx"),
            "--today",
            "2026-11-20",
        ]  # fmt: skip
    )
    assert rc in (0, 1)
    assert (out / "report.docx").is_file() and (out / "report.xlsx").is_file()


@pytest.mark.parametrize(
    "argv",
    [["load"], ["report", "x.xlsx"], ["dossier", "x.xlsx", "-o", "d"], ["archive"], ["bogus"]],
)
def test_a_usage_error_says_in_chinese_what_is_wrong_and_exits_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "命令行参数有误" in err and "--help" in err and "Traceback" not in err
