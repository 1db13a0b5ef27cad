"""Benchmark load_cases against bare reads of the same file (figures printed, nothing asserted).

1. A generated ledger of --rows rows (default 100,000) written as .xlsx. In one run, alternating
   (best of --repeat kept, wall and CPU seconds): pandas.read_excel(engine="calamine") (the
   baseline of issue 13), a bare python-calamine read (CalamineWorkbook -> to_python), a bare
   fastexcel read (calamine into Arrow, every column as text) and load_cases.
   Target: load_cases <= 1.0x pandas.read_excel(calamine); openpyxl >= 3x slower (optional).
2. --csv-rows rows (default 1,000,000) as a GBK CSV: load_cases time and peak memory (resident
   set size sampled by psutil) beside a bare pyarrow.csv read of the same file (GB18030
   transcoded, all columns text). Targets: < 8 s, < 2 GiB.

--source synth (default): synth.generate_cases + synth.write_ledger, the messy county layout
(title, two-row merged header, sections, merged leader cells, mixed date spellings ...) and the
GBK CSV layout (its rows repeated with distinct case numbers up to --csv-rows).
--source simple: a plain one-row-header ledger written here (UTF-8 CSV).
--source hotline: a city 12345 work-order export (title and export-time lines, 12345 header
names, date-times as text, callers mostly written 市民, a 工单状态 column); xlsx only.
--source system: a 信访 information system's export saved as a workbook (one header row, 登记时间
and 办结时间 as real Excel date-time cells with a date-time format, shared strings, a count as a
number cell); xlsx only.

Usage: python benchmarks/bench_load.py [--rows N] [--csv-rows N] [--source synth|simple|hotline|system]
       [--skip-openpyxl] [--repeat K]
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import python_calamine
import xlsxwriter
from _timing import Timer

from xinfang_toolkit import load_cases
from xinfang_toolkit.clean import id_check_digit

HEADER = [
    "序号", "信访件编号", "登记日期", "信访形式", "信访人", "身份证号", "联系电话", "住址", "人数",
    "问题属地", "内容分类", "反映问题", "事项类型", "责任单位", "包案领导", "信访去向", "办理时限",
    "办结日期", "化解情况", "满意度",
]  # fmt: skip
CHANNELS = ["来访", "走访", "来信", "网上信访", "来电", "微信"]
LEVELS = ["本乡", "到县", "到市", "赴省", "进京", "乡镇"]
CATS = ["城乡建设", "农村农业", "劳动和社会保障", "民政", "政法", "国土资源", "环境保护"]
TOWNS = [f"{a}{b}镇" for a in "东西南北中" for b in "山河湖林田"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
PROBLEMS = [
    "反映征地补偿款至今未发放到位，要求尽快兑现",
    "反映邻居违规建房影响采光，要求依法处理",
    "要求解决拖欠的务工工资问题",
    "反映村级财务不公开，要求公开账目",
    "反映低保评定不公，要求重新评议",
    "反映拆迁安置房迟迟不能交付",
]


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    area = rng.choice(["410122", "110101", "320102", "510104"], n)
    birth = pd.to_datetime("1950-01-01") + pd.to_timedelta(rng.integers(0, 20000, n), unit="D")
    seq = rng.integers(0, 1000, n)
    out = []
    for a, b, s in zip(area, birth.strftime("%Y%m%d"), seq, strict=True):
        first = f"{a}{b}{s:03d}"
        out.append(first + id_check_digit(first))
    return out


def generate_rows(n: int, seed: int = 0) -> list[list]:
    """Ledger rows with the spellings found in practice (dates in several forms, counts as text)."""
    rng = np.random.default_rng(seed)
    received = pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 540, n), unit="D")
    closed = received + pd.to_timedelta(rng.integers(5, 90, n), unit="D")
    ids = _ids(rng, n)
    styles = rng.integers(0, 4, n)
    rows = []
    for i in range(n):
        d = received[i]
        date = (d.strftime("%Y-%m-%d"), f"{d.year}.{d.month}.{d.day}", f"{d.year}年{d.month}月{d.day}日",
                d.strftime("%Y%m%d"))[styles[i]]  # fmt: skip
        open_case = i % 7 == 0
        rows.append([
            i + 1,
            f"XF{2025}{i:07d}",
            date,
            CHANNELS[i % len(CHANNELS)],
            SURNAMES[i % 20] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 3) % len(GIVEN)],
            ids[i],
            f"1{3 + i % 7}{i % 10}{(i * 7919) % 100000000:08d}",
            f"{TOWNS[i % 25]}{(i % 30) + 1}组",
            ("1", "3人", "五人", 2)[i % 4],
            TOWNS[(i * 3) % 25],
            CATS[i % len(CATS)],
            PROBLEMS[i % len(PROBLEMS)] + f"（第{i % 97}号）",
            "申诉求决类",
            "县自然资源局" if i % 2 else "乡政府",
            "王书记" if i % 5 == 0 else "",
            LEVELS[i % len(LEVELS)],
            "60天" if i % 3 else (d + pd.Timedelta(days=60)).strftime("%Y-%m-%d"),
            "未办结" if open_case else closed[i].strftime("%Y-%m-%d"),
            "" if open_case else "已答复",
            ("满意", "基本满意", "不满意", "未回访")[i % 4],
        ])  # fmt: skip
    return rows


def write_xlsx(path: Path, rows: list[list]) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ["XX县2025年信访事项登记台账"])
    sheet.write_row(1, 0, ["填报单位：XX县信访局", "", "", "", "", "填报时间：2026年7月1日"])
    sheet.write_row(2, 0, HEADER)
    for r, row in enumerate(rows, start=3):
        sheet.write_row(r, 0, row)
    sheet.write_row(len(rows) + 3, 0, ["合计", "", "", "", "", "", "", "", len(rows)])
    book.close()


HOTLINE_HEADER = [
    "工单编号", "来电时间", "来电人", "来电号码", "诉求渠道", "诉求内容", "问题分类", "承办单位",
    "工单状态", "办结时间", "满意度",
]  # fmt: skip
#: how a 12345 operator writes the caller when none is given (most rows of a real export)
CALLERS = ["市民", "市民", "市民", "匿名", "某女士", "某先生"]
STATUSES = ["办结", "已办结", "已转办待回复", "退回", "办理中"]


def write_hotline_xlsx(path: Path, n: int, seed: int = 0) -> None:
    """A 12345 work-order export (the layout of a city hotline's 工单导出): a title and an
    export-time line, 12345 header names, 来电时间 as `2025/3/5 9:32:09` text, callers mostly
    市民, a 工单状态 column, 办结时间 only on closed orders."""
    rng = np.random.default_rng(seed)
    received = pd.Timestamp("2025-01-01") + pd.to_timedelta(
        rng.integers(0, 365 * 24 * 3600, n), unit="s"
    )
    closed = received + pd.to_timedelta(rng.integers(3600, 20 * 24 * 3600, n), unit="s")
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("工单")
    sheet.write_row(0, 0, ["12345政务服务便民热线工单明细"])
    sheet.write_row(1, 0, ["导出时间: 2026-01-05 08:00"])
    sheet.write_row(2, 0, HOTLINE_HEADER)
    for i in range(n):
        t, c = received[i], closed[i]
        status = STATUSES[i % len(STATUSES)]
        done = status in ("办结", "已办结")
        name = CALLERS[i % 6] if i % 3 else SURNAMES[i % 20] + GIVEN[(i * 7) % len(GIVEN)]
        sheet.write_row(i + 3, 0, [
            f"GD2025{i:08d}",
            f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}",
            name,
            f"1{3 + i % 7}{i % 10}{(i * 7919) % 100000000:08d}",
            ("电话", "网站", "微信", "APP")[i % 4],
            PROBLEMS[i % len(PROBLEMS)] + f"，工单第{i % 997}号",
            CATS[i % len(CATS)],
            TOWNS[i % 25] + "街道办",
            status,
            f"{c.year}/{c.month}/{c.day} {c.hour}:{c.minute:02d}:{c.second:02d}" if done else "",
            ("满意", "基本满意", "不满意", "")[i % 4],
        ])  # fmt: skip
    book.close()


SYSTEM_HEADER = [
    "信访件编号", "登记时间", "信访人", "联系电话", "信访形式", "信访内容", "问题分类", "责任单位",
    "办结时间", "信访人数",
]  # fmt: skip


def write_system_xlsx(path: Path, n: int, seed: int = 0) -> None:
    """A 信访 information system's export saved as a workbook (what a system writes through
    openpyxl or Excel): one header row, 登记时间 and 办结时间 as date-time cells (serial numbers
    with a date-time format, nearly every one different), shared strings, 信访人数 a number."""
    rng = np.random.default_rng(seed)
    received = pd.Timestamp("2025-01-01") + pd.to_timedelta(
        rng.integers(0, 365 * 24 * 3600, n), unit="s"
    )
    closed = received + pd.to_timedelta(rng.integers(3600, 30 * 24 * 3600, n), unit="s")
    book = xlsxwriter.Workbook(str(path))
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet = book.add_worksheet("信访件")
    sheet.write_row(0, 0, SYSTEM_HEADER)
    for i in range(n):
        row = i + 1
        sheet.write_string(row, 0, f"XF{2025_0000_0000 + i}")
        sheet.write_datetime(row, 1, received[i].to_pydatetime(), stamp)
        sheet.write_row(row, 2, [
            SURNAMES[i % 20] + GIVEN[(i * 7) % len(GIVEN)],
            f"1{3 + i % 7}{i % 10}{(i * 7919) % 100000000:08d}",
            CHANNELS[i % len(CHANNELS)],
            PROBLEMS[i % len(PROBLEMS)] + f"（系统件{i}）",
            CATS[i % len(CATS)],
            TOWNS[i % 25],
        ])  # fmt: skip
        if i % 5:  # one in five still open: no closing time
            sheet.write_datetime(row, 8, closed[i].to_pydatetime(), stamp)
        sheet.write_number(row, 9, 1 + i % 4)
    book.close()


def write_csv(path: Path, rows: list[list], copies: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        n = len(rows)
        for k in range(copies):
            for row in rows:
                row = list(row)
                row[0] = row[0] + k * n
                row[1] = f"{row[1]}-{k}"
                writer.writerow(row)


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


class PeakRSS:
    """Peak resident memory of this process while the block runs (sampled every 20 ms)."""

    def __enter__(self):
        self.proc = psutil.Process()
        self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def synth_xlsx(path: Path, n: int) -> Path:
    from xinfang_toolkit import synth

    return synth.write_ledger(synth.generate_cases(n=n, seed=0), path, layout="county", seed=0)


def synth_csv(path: Path, n: int, total: int) -> int:
    """synth's GBK CSV layout for n cases, its data rows repeated (new case numbers) to total."""
    from xinfang_toolkit import synth

    base = synth.write_ledger(
        synth.generate_cases(n=n, seed=1), path.with_name("base.csv"), layout="csv", seed=1
    )
    with base.open(encoding="gb18030", newline="") as fh:
        rows = list(csv.reader(fh))
    header, data = rows[0], rows[1:]
    assert header[0] in ("编号", "信访件编号"), header  # the case number is the first column
    copies = max(1, total // len(data))
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for k in range(copies):
            for row in data:
                writer.writerow([f"{row[0]}-{k}", *row[1:]] if k else row)
    return copies * len(data)


def bare_calamine(path: Path) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def bare_fastexcel(path: Path):
    import fastexcel

    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
    return sheet.to_arrow()


def bare_pyarrow_csv(path: Path, encoding: str):
    import pyarrow.csv as pacsv

    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding=encoding, autogenerate_column_names=True),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f"f{i}": "string" for i in range(64)}, strings_can_be_null=False
        ),
    )


def _load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): CPU figures on a busy machine vary."""
    try:
        return "/".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:  # not every platform has one
        return "unknown"


def best_of(funcs: dict[str, object], repeat: int) -> dict[str, tuple[float, float, object]]:
    """Run the functions in turn ``repeat`` times; keep each one's best wall and CPU seconds."""
    best: dict[str, tuple[float, float, object]] = {}
    for _ in range(repeat):
        for name, func in funcs.items():
            with Timer() as t:
                result = func()
            wall, cpu, _ = best.get(name, (float("inf"), float("inf"), None))
            best[name] = (min(wall, t.wall), min(cpu, t.cpu), result)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--source", choices=["synth", "simple", "hotline", "system"], default="synth"
    )
    parser.add_argument("--skip-openpyxl", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each xlsx read (best kept)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        xlsx = tmp / "ledger.xlsx"
        if args.source == "synth":
            t_write, _ = timed(synth_xlsx, xlsx, args.rows)
            what = "synth county layout"
        elif args.source == "hotline":
            t_write, _ = timed(write_hotline_xlsx, xlsx, args.rows)
            what = "12345 hotline export layout"
            args.csv_rows = 0  # the CSV part has its own layouts (synth, simple)
        elif args.source == "system":
            t_write, _ = timed(write_system_xlsx, xlsx, args.rows)
            what = "信访 system export with date-time cells"
            args.csv_rows = 0
        else:
            rows = generate_rows(args.rows)
            t_write, _ = timed(write_xlsx, xlsx, rows)
            what = "simple layout"
        print(f"xlsx ({what}): {args.rows:,} cases written in {t_write:.1f} s")
        load_cases(xlsx)  # warm up: imports and caches are not part of any figure
        best = best_of(
            {
                "pandas.read_excel(calamine)": lambda: pd.read_excel(
                    xlsx, engine="calamine", header=None
                ),
                "bare python-calamine": lambda: bare_calamine(xlsx),
                "bare fastexcel (Arrow)": lambda: bare_fastexcel(xlsx),
                "load_cases": lambda: load_cases(xlsx),
            },
            args.repeat,
        )
        base_wall, base_cpu, _ = best["pandas.read_excel(calamine)"]
        for name, (wall, cpu, _) in best.items():
            print(
                f"  {name:28s}: {wall:6.2f} s wall, {cpu:6.2f} s CPU  -> {wall / base_wall:.2f}x "
                f"/ {cpu / base_cpu:.2f}x the pandas.read_excel(calamine) baseline"
            )
        result = best["load_cases"][2]
        print(
            f"  load_cases / read_excel(calamine): {best['load_cases'][0] / base_wall:.3f}x wall, "
            f"{best['load_cases'][1] / base_cpu:.3f}x CPU (target <= 1.0x); "
            f"{len(result.cases):,} cases, {len(result.issues):,} issues, "
            f"{len(result.excluded):,} excluded; load average {_load_average()}"
        )
        del best, result
        if not args.skip_openpyxl:
            t_opx, _ = timed(pd.read_excel, xlsx, engine="openpyxl", header=None)
            print(
                f"  pandas.read_excel(openpyxl)  : {t_opx:6.2f} s  (for reference; the loader "
                f"is {t_opx / base_wall:.1f}x faster than this at the baseline's speed)"
            )

        if args.csv_rows:
            csv_path = tmp / "ledger.csv"
            if args.source == "synth":
                t_write, n_csv = timed(synth_csv, csv_path, min(args.rows, 100_000), args.csv_rows)
                encoding = "gb18030"
            else:
                copies = max(1, args.csv_rows // len(rows))
                t_write, _ = timed(write_csv, csv_path, rows, copies)
                n_csv = copies * len(rows)
                encoding = "utf8"
                del rows
            size = csv_path.stat().st_size / 2**20
            layout = "synth GBK CSV layout" if args.source == "synth" else what
            print(f"csv ({layout}): {n_csv:,} rows written in {t_write:.1f} s ({size:.0f} MiB)")
            # load_cases first, in a process that has not read the file yet; then the bare read
            gc.collect()
            with PeakRSS() as mem, Timer() as t_load:
                base = mem.peak
                result = load_cases(csv_path)
            load_peak, n_cases, n_issues = mem.peak, len(result.cases), len(result.issues)
            del result
            gc.collect()
            pa.default_memory_pool().release_unused()
            with PeakRSS() as mem, Timer() as t_bare:
                bare_base = mem.peak
                table = bare_pyarrow_csv(csv_path, encoding)
            print(
                f"  bare pyarrow.csv read       : {t_bare.wall:6.2f} s wall, {t_bare.cpu:6.2f} s "
                f"CPU; peak RSS {mem.peak / 2**30:.2f} GiB (before: {bare_base / 2**30:.2f} GiB; "
                f"{table.num_rows:,} rows)"
            )
            print(
                f"  load_cases                  : {t_load.wall:6.2f} s wall, {t_load.cpu:6.2f} s "
                f"CPU (target < 8 s; {t_load.wall / t_bare.wall:.1f}x the bare read); peak RSS "
                f"{load_peak / 2**30:.2f} GiB (process before: {base / 2**30:.2f} GiB; target "
                f"< 2 GiB); {n_cases:,} cases, {n_issues:,} issues"
            )


if __name__ == "__main__":
    main()
