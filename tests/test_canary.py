"""The privacy canary: a ledger with planted persons everywhere; no output may show them.

Synthetic persons (Faker zh_CN) are planted in every column a real ledger carries them in
(信访人, 身份证号, 联系电话, 住址, and unmapped 联系人, 其他信访人, 代理人, 代理人电话,
代理人身份证, 被反映人, 留言用户, 备注) and inside free text in the spellings real ledgers use
(spaced, dashed, full-width, +86, landlines with extensions, 身份证号：, names after cue words,
names known from other columns, house numbers). Then every output is read back and searched.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from docx import Document
from faker import Faker

from xinfang_toolkit import load_cases
from xinfang_toolkit.classify import TextClassifier, classify
from xinfang_toolkit.cli import main
from xinfang_toolkit.load import mapping_table, save_profile
from xinfang_toolkit.privacy import known_names
from xinfang_toolkit.report import draft_report, export_docx, export_xlsx, summarize

START, END, TODAY = "2026-01-01", "2026-06-30", "2026-07-15"

HEADERS = [
    "信访件编号",
    "登记日期",
    "信访形式",
    "信访人",
    "身份证号",
    "联系电话",
    "住址",
    "人数",
    "问题属地",
    "内容分类",
    "反映问题",
    "责任单位",
    "办结日期",
    "办理结果",
    "联系人",
    "其他信访人",
    "代理人",
    "代理人电话",
    "代理人身份证",
    "被反映人",
    "留言用户",
    "备注",
]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@dataclass
class Planted:
    names: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)  # ID and phone digits (searched digits-only)
    addresses: set[str] = field(default_factory=set)  # house-number parts of addresses


def _id15(fake: Faker) -> str:
    s = fake.ssn()
    return s[:6] + s[8:17]


def _person(fake: Faker, used: set[str]) -> str:
    while True:
        name = fake.name()
        if len(name) == 3 and name not in used:
            used.add(name)
            return name


#: the second round's kinds (issue 23): planted by ``build_ledger(..., extra=True)`` into a file
#: and a sheet named after persons, a header note, names of any length and script, and the
#: free-text kinds (bank card, plate, WeChat, QQ, e-mail, a phone in Chinese numerals)
EXTRA_FILE = "张秀兰_110101198805051237_台账.xlsx"
EXTRA_SHEET = "王建国"
EXTRA_NOTE = "备注(代填人李红梅 13912345678)"
EXTRA_ROWS = [
    (
        "阿卜杜热合曼·艾买提",
        "阿卜杜热合曼·艾买提反映草场被占，银行卡号6222021234567890128，车牌新A·7K9Q2被扣。",
    ),
    (
        "Mary Johnson",
        "Mary Johnson称，微信号：maryj_2024，QQ 987654321，邮箱mary.johnson88@163.com。",
    ),
    (
        "张 秀 英",
        "信访人张 秀 英反映宅基地纠纷，电话一三九一二三四五六七八，转账卡4111111111111111。",
    ),
]


def _plant_extra(planted: Planted) -> None:
    planted.names |= {"张秀兰", "王建国", "李红梅", "阿卜杜热合曼", "艾买提", "Mary Johnson"}
    planted.names |= {"Johnson", "张秀英", "张 秀 英"}
    planted.numbers |= {"110101198805051237", "13912345678", "6222021234567890128"}
    planted.numbers |= {"987654321", "4111111111111111"}
    planted.addresses |= {"7K9Q2", "maryj_2024", "mary.johnson88", "一三九一二三四五六七八"}


def build_ledger(path: Path, *, seed: int = 11, extra: bool = False) -> Planted:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    used: set[str] = set()
    planted = Planted()
    rows = []
    others = [_person(fake, used) for _ in range(12)]
    for i in range(12):
        p, contact, agent, target, wife, son, neighbour, said = (
            _person(fake, used) for _ in range(8)
        )
        # named bare (no cue word) in this row's text, known from another row's 其他信访人
        other, bare = others[i], others[i - 1]
        pid, agent_id, text_id = fake.ssn(), fake.ssn(), fake.ssn()
        id15 = _id15(fake)
        phone, agent_phone = fake.phone_number(), fake.phone_number()
        m1, m2, m3, m4 = (fake.phone_number() for _ in range(4))
        land = f"0371-{6000_0000 + i * 1111:08d}"
        land2 = f"0{372 + i}{5000_0000 + i * 2222:08d}"
        house = f"{i + 3}组{i + 10}号"
        flat = f"{i + 2}栋{i + 1}单元{300 + i}室"
        address = f"河南省某某县城关镇东关村{house}"
        account = f"user{1380000 + i * 7}"
        planted.names |= {p, contact, other, agent, target, wife, son, neighbour, said, bare}
        for number in (pid, agent_id, text_id, id15, phone, agent_phone, m1, m2, m3, m4):
            planted.numbers.add(number)
        planted.numbers |= {re.sub(r"\D", "", land), land2}
        planted.addresses |= {house, flat}
        forms = [
            f"我叫{p}，电话{m1}，身份证{text_id}，住{flat}。",
            f"手机{m2[:3]} {m2[3:7]} {m2[7:]}，身份证号：{_fullwidth(pid)}。",
            f"其妻{wife}、其子{son}代为反映，固话{land}转{800 + i}，+86 {m3}。",
            f"邻居{neighbour}作证，{contact}多次联系，15位证号{id15}。",
            f"{bare}说宅基地被占；本人{said}，联系{_fullwidth(m4)}，（{land2[:4]}）{land2[4:]}。",
            f"联系人{contact}，代理人{agent}反映{target}强占土地，"
            f"身份证 {agent_id[:6]} {agent_id[6:14]} {agent_id[14:]}。",
        ]
        rows.append(
            [
                f"C{i + 1:03d}",
                f"2026-{(i % 6) + 1:02d}-{(i % 27) + 1:02d}",
                ["来信", "来访", "网上信访"][i % 3],
                p,
                pid if i % 4 else pid[:6] + "X" + pid[7:],  # one in four unreadable: an issue
                phone if i % 5 else phone + "99",  # a bad phone: an issue with its value
                address,
                1 + (i % 2),
                "城关镇",
                ["城乡建设", "土地纠纷", "民事纠纷"][i % 3],
                "".join(forms[: 3 + i % 4]) + f"{p}再次反映。",
                "城关镇人民政府",
                f"2026-{(i % 6) + 1:02d}-28" if i % 2 else "",
                f"已答复{p}（电话{phone}），{agent}签收。",
                contact,
                other,
                agent,
                agent_phone,
                agent_id,
                target,
                account,
                f"备注：{other}陪同，手机{agent_phone}",
            ]
        )
    # the same person comes back: a repeat chain whose second visit has an empty 反映问题
    again = list(rows[0])
    again[0], again[1], again[10] = "C100", "2026-03-15", ""
    rows.append(again)
    headers = list(HEADERS)
    if extra:
        _plant_extra(planted)
        headers[-1] = EXTRA_NOTE
        for k, (person, text) in enumerate(EXTRA_ROWS):
            row = list(rows[k + 1])
            row[0], row[3], row[4], row[5], row[10] = f"E{k + 1:03d}", person, "", "", text
            row[13] = f"已答复{person}。"
            rows.append(row)
    filler = _person(fake, used)
    planted.names.add(filler)
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet(EXTRA_SHEET if extra else "台账")
        ws.write_row(0, 0, ["城关镇2026年上半年信访台账"])
        ws.write_row(1, 0, headers)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row):
                if isinstance(value, int):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
        tail = len(rows) + 3
        filler_phone = fake.phone_number()
        planted.numbers.add(filler_phone)
        ws.write_string(tail, 0, f"填表人：{filler} {filler_phone}")
    return planted


# --- reading every output back --------------------------------------------------------------


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _digits_view(text: str) -> str:
    """Separators between digits removed, so 138 1234-5678 is searched as 13812345678."""
    return re.sub(r"(?<=[0-9Xx])[\s\-()（）+转]+(?=[0-9Xx])", "", _norm(text))


def xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    parts = [
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    ]
    wb.close()
    return "\n".join(parts)


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def file_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    if path.suffix == ".docx":
        return docx_text(path)
    return path.read_text(encoding="utf-8-sig", errors="replace")


def frame_text(frame: pd.DataFrame) -> str:
    return frame.astype("string").fillna("").to_csv(index=False) + " ".join(map(str, frame.columns))


def leaks(text: str, planted: Planted) -> list[str]:
    norm, digits = _norm(text), _digits_view(text)
    found = [n for n in planted.names if n in norm]
    found += [n for n in planted.numbers if re.sub(r"\D", "", n[:17]) in digits or n in digits]
    found += [a for a in planted.addresses if a in norm]
    return found


def widget_texts(obj, seen: set[int] | None = None) -> list[str]:
    """Every string an ipywidgets tree shows: values, options, labels, descriptions."""
    import ipywidgets as widgets

    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    out: list[str] = []
    if isinstance(obj, widgets.Widget):
        for attr in ("value", "description", "placeholder", "tooltip"):
            v = getattr(obj, attr, None)
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, tuple):
                out.extend(map(str, v))
        for attr in ("options", "_options_labels"):
            for o in getattr(obj, attr, ()) or ():
                out.append(str(o))
        for child in getattr(obj, "children", ()) or ():
            out.extend(widget_texts(child, seen))
        return out
    for v in vars(obj).values():
        if isinstance(v, widgets.Widget) or hasattr(v, "widget"):
            out.extend(widget_texts(v, seen))
        elif isinstance(v, str):
            out.append(v)
    return out


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canary")
    planted = build_ledger(folder / "台账.xlsx")
    return folder, planted


@pytest.fixture(scope="module")
def canary_extra(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canary2")
    planted = build_ledger(folder / EXTRA_FILE, extra=True)
    return folder, planted


def _collect(
    folder: Path, planted: Planted, capsys, *, name: str = "台账.xlsx"
) -> dict[str, list[str]]:
    """Every output, by name -> the planted values found in it."""
    ledger = folder / name
    found: dict[str, list[str]] = {}

    def check(name: str, text: str) -> None:
        hit = leaks(text, planted)
        if hit:
            found[name] = sorted(hit)

    # the command line: every file written, and what it prints
    for variant in ([], ["--pseudonymize"]):
        tag = "".join(variant) or "masked"
        for cmd, extra in (
            ("load", []),
            ("load", ["--format", "csv"]),
            ("classify", []),
        ):
            out = folder / f"{cmd}-{tag}-{len(extra)}"
            main([cmd, str(ledger), "-o", str(out), "--no-progress", *extra, *variant])
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    check(f"cli {cmd} {tag} {path.name}", file_text(path))
        docx, xlsx = folder / f"report-{tag}.docx", folder / f"report-{tag}.xlsx"
        args = ["report", str(ledger), "--from", START, "--to", END, "--today", TODAY]
        try:
            main([*args, "-o", str(docx), "--xlsx", str(xlsx), "--no-progress", *variant])
        except Exception as exc:  # a crash is a failure of its own, reported below
            found[f"cli report {tag} crashed"] = [repr(exc)]
        for path in (docx, xlsx):
            if path.exists():
                check(f"cli report {tag} {path.name}", file_text(path))
        check(f"cli stdout/stderr {tag}", "".join(capsys.readouterr()))

    # the API
    result = load_cases(ledger)
    masked = result.masked()
    check("LoadResult.masked().cases", frame_text(masked.cases))
    check("LoadResult.masked().issues", frame_text(masked.issues))
    check("LoadResult.masked().excluded", frame_text(masked.excluded))
    check("LoadResult.masked().sources", frame_text(masked.sources))
    check("LoadResult.masked().columns", frame_text(masked.columns))
    check("LoadResult.summary()", result.summary())
    check("mapping_table", frame_text(mapping_table(result.columns)))
    profile = save_profile(result.columns, folder / f"profile-{len(found)}.yaml")
    check("save_profile", profile.read_text(encoding="utf-8"))
    model = TextClassifier().fit(
        result.cases["summary"].fillna(""),
        result.cases["category"].fillna("其他"),
        names=known_names(result.cases),
    )
    saved = model.save(folder / "model")
    check("TextClassifier.save", saved.read_text(encoding="utf-8"))
    cases = classify(result.cases)
    export_xlsx(cases, folder / "api-cases.xlsx")
    check("export_xlsx(cases)", file_text(folder / "api-cases.xlsx"))
    export_xlsx(cases, folder / "api-pseudo.xlsx", pseudonymize=True)
    check("export_xlsx(cases, pseudonymize)", file_text(folder / "api-pseudo.xlsx"))
    try:
        summary = summarize(cases, start=START, end=END, today=TODAY)
    except Exception as exc:
        found["summarize crashed"] = [repr(exc)]
    else:
        check("draft_report", draft_report(summary))
        export_docx(summary, folder / "api.docx", charts=False)
        check("export_docx(summary)", file_text(folder / "api.docx"))
        export_xlsx(summary, folder / "api-summary.xlsx")
        check("export_xlsx(summary)", file_text(folder / "api-summary.xlsx"))

    return found


def _collect_widgets(
    folder: Path, planted: Planted, *, name: str = "台账.xlsx"
) -> dict[str, list[str]]:
    """Every HTML, option and label the widgets show, case by case, and the labels file."""
    found: dict[str, list[str]] = {}

    def check(name: str, text: str) -> None:
        hit = leaks(text, planted)
        if hit:
            found[name] = sorted(hit)

    cases = classify(load_cases(folder / name).cases)
    from xinfang_toolkit.widgets import CaseBrowser, Dashboard, FilterPanel, ReviewQueue

    panel = FilterPanel(cases)
    texts = widget_texts(panel)
    panel.search.value = "反映"
    texts += widget_texts(panel, set())
    check("FilterPanel", "\n".join(texts))
    # the keyword search cannot tell whether a planted number or name is on file
    for probe in sorted(planted.numbers)[:6] + sorted(planted.names)[:6]:
        panel.search.value = re.sub(r"\s", "", probe)
        if panel.count:
            found.setdefault("FilterPanel search finds", []).append(probe)

    browser = CaseBrowser(cases)
    texts = widget_texts(browser)
    for option in list(browser.case.options):
        value = option[1] if isinstance(option, tuple) else option
        browser.case.value = value
        texts += [browser.card_html.value, browser.chain_html.value]
    check("CaseBrowser", "\n".join(texts))

    labels = folder / "labels.csv"
    queue = ReviewQueue(cases, labels_path=labels)
    texts = []
    for position in range(len(queue.queue)):
        queue.show(position)
        texts += widget_texts(queue, set())
        queue.accept()
    check("ReviewQueue", "\n".join(texts))
    check("ReviewQueue labels file", labels.read_text(encoding="utf-8-sig"))

    dash = Dashboard(cases, today=TODAY, charts=False)
    check("Dashboard", "\n".join(widget_texts(dash)))
    return found


def _assert_none(found: dict[str, list[str]]) -> None:
    count = sum(len(v) for v in found.values())
    report = json.dumps(found, ensure_ascii=False, indent=1)
    assert not found, f"{count} planted values leaked:\n{report}"


def test_canary_no_planted_person_in_any_file_or_api_output(canary, capsys):
    folder, planted = canary
    _assert_none(_collect(folder, planted, capsys))


def test_canary_no_planted_person_in_any_widget(canary):
    folder, planted = canary
    _assert_none(_collect_widgets(folder, planted))


def test_canary_extra_kinds_in_no_file_or_api_output(canary_extra, capsys):
    """The second round's kinds: a file and a sheet named after persons, a header note, names
    of any length and script, bank cards, plates, WeChat, QQ, e-mail, phones in Chinese
    numerals; and the saved profile, the trained model, the printed summary."""
    folder, planted = canary_extra
    _assert_none(_collect(folder, planted, capsys, name=EXTRA_FILE))


def test_canary_extra_kinds_in_no_widget(canary_extra):
    folder, planted = canary_extra
    _assert_none(_collect_widgets(folder, planted, name=EXTRA_FILE))


def test_canary_extra_ledger_is_read_as_planted(canary_extra):
    folder, planted = canary_extra
    result = load_cases(folder / EXTRA_FILE)
    text = frame_text(result.cases) + result.summary(mask=False)
    for value in ("阿卜杜热合曼", "Mary Johnson", "maryj_2024", "7K9Q2", "一三九一二三四五六七八"):
        assert value in text
    assert EXTRA_FILE in set(result.cases["source_file"])
    assert EXTRA_NOTE.replace(" ", "") in {c.replace(" ", "") for c in result.cases.columns}


def test_canary_ledger_is_read_as_planted(canary):
    """The canary is only a test if the planted persons reach the loader: check they do."""
    folder, planted = canary
    result = load_cases(folder / "台账.xlsx")
    text = frame_text(result.cases) + frame_text(result.excluded) + frame_text(result.issues)
    assert len(leaks(text, planted)) > 0.9 * (
        len(planted.names) + len(planted.numbers) + len(planted.addresses)
    )
    assert len(result.cases) == 13 and len(result.issues) and len(result.excluded)


def test_no_mask_is_the_one_way_out(canary):
    """--no-mask writes the planted persons in full (so the masking above is what hides them)."""
    folder, planted = canary
    out = folder / "no-mask"
    main(["load", str(folder / "台账.xlsx"), "-o", str(out), "--no-mask", "--no-progress"])
    text = file_text(out / "案件清单.xlsx")
    assert len(leaks(text, planted)) > 0.8 * len(planted.names | planted.numbers)
