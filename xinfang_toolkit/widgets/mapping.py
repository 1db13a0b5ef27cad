"""MappingEditor: correct how a header was read, and save the layout profile for next month."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..load import mapping_table, save_profile
from ..schema import CASE_COLUMNS, LABELS_ZH
from . import _html as html

_NOT_MAPPED = "(不对应任何标准列, 按原表头保留)"
_HOW_ORDER = {"未识别": 0, "按内容": 1, "近似": 1, "人工指定": 2, "同义词": 3}


def _targets() -> list[tuple[str, str]]:
    from ..clean import FLAG_COLUMNS

    names = [c for c in CASE_COLUMNS] + list(FLAG_COLUMNS)
    return [(_NOT_MAPPED, "")] + [(f"{LABELS_ZH.get(c, c)} ({c})", c) for c in names]


class MappingEditor:
    """The mapping table of a load (``LoadResult.columns``) with a way to correct one header.

    Pick a header (unmapped and approximate ones first), pick the column it really is, press
    “改正”; “保存表头映射” writes a layout profile file (YAML) that
    ``load_cases(..., mapping=path)`` applies to every later ledger with the same header row
    (a sheet without a header row, its columns shown as 列A, 列B …: to every later file of the
    same shape, the same number of columns holding the same kinds of values).
    ``corrections`` holds ``{(file, sheet, header): canonical}``; nothing is written until saved.
    """

    def __init__(self, columns: pd.DataFrame, *, path: str | Path) -> None:
        self.columns = columns.reset_index(drop=True)
        self.path = Path(path)
        self.corrections: dict[tuple[str, str, str], str] = {}
        order = sorted(
            range(len(self.columns)),
            key=lambda i: (_HOW_ORDER.get(self.columns.loc[i, "how"], 9), i),
        )
        self._keys = [
            tuple(str(self.columns.loc[i, c]) for c in ("file", "sheet", "header")) for i in order
        ]
        self.header = w.Dropdown(
            options=[(self._label(k), n) for n, k in enumerate(self._keys)],
            description="表头",
            layout=w.Layout(width="520px"),
        )
        self.target = w.Dropdown(
            options=_targets(), description="应为", layout=w.Layout(width="520px")
        )
        self.apply_button = w.Button(description="改正", button_style="warning")
        self.save_button = w.Button(description="保存表头映射", button_style="primary")
        self.status = w.HTML()
        self.table = w.HTML()
        self.header.observe(lambda _c: self._sync_target(), names="value")
        self.apply_button.on_click(lambda _b: self.apply())
        self.save_button.on_click(lambda _b: self.save())
        self.widget = w.VBox(
            [
                self.header,
                self.target,
                w.HBox([self.apply_button, self.save_button]),
                self.status,
                self.table,
            ]
        )
        self._sync_target()
        self._render()

    def _current(self, key: tuple[str, str, str]) -> str:
        if key in self.corrections:
            return self.corrections[key]
        row = self.columns[
            (self.columns["file"] == key[0])
            & (self.columns["sheet"] == key[1])
            & (self.columns["header"] == key[2])
        ]
        value = row["canonical"].iloc[0] if len(row) else ""
        return value if isinstance(value, str) else ""

    def _label(self, key: tuple[str, str, str]) -> str:
        now = self._current(key)
        shown = LABELS_ZH.get(now, now) if now else "未识别"
        return f"{key[2]} → {shown}  ({key[0]} / {key[1]})"

    def _sync_target(self) -> None:
        if self.header.value is None:
            return
        self.target.value = self._current(self._keys[self.header.value])

    def apply(self) -> None:
        """Record the chosen column for the chosen header."""
        key = self._keys[self.header.value]
        self.corrections[key] = self.target.value
        chosen = LABELS_ZH.get(self.target.value, "不对应") if self.target.value else "不对应"
        self.status.value = html.escape(f"已改正: “{key[2]}” → {chosen} (尚未保存)")
        index = self.header.value
        self.header.options = [(self._label(k), n) for n, k in enumerate(self._keys)]
        self.header.value = index
        self._render()

    def table_frame(self) -> pd.DataFrame:
        """The mapping table with the corrections applied (Chinese headers)."""
        out = self.columns.copy()
        for i in range(len(out)):
            key = tuple(str(out.loc[i, c]) for c in ("file", "sheet", "header"))
            if key in self.corrections:
                out.loc[i, "canonical"] = self.corrections[key]
                out.loc[i, "how"] = "人工指定"
                out.loc[i, "score"] = 100.0
        return mapping_table(out)

    def _render(self) -> None:
        frame = self.table_frame()
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
        self.table.value = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    def save(self) -> Path:
        """Write the layout profile(s) with the corrections to ``path``."""
        written = save_profile(self.columns, self.path, corrections=self.corrections)
        self.status.value = html.escape(
            f"已保存 {len(self.corrections)} 处改正到 {written.name}; 下月读取时用 "
            f'load_cases(文件夹, mapping="{written.name}")'
        )
        return written

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"MappingEditor(表头 {len(self.columns)} 个, 改正 {len(self.corrections)} 处)"
