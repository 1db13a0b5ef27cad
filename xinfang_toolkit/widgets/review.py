"""ReviewQueue: check and correct the suggested categories one case at a time.

The cases most in doubt come first (a given category that the rules or model disagree with,
then the lowest confidence). Every decision is written at once to a UTF-8 CSV labels file
(case_id, summary, label, reviewed_at), so a new ReviewQueue on the same file, after a kernel
restart, knows what was reviewed; :func:`xinfang_toolkit.classify.load_labels` reads the file for
``TextClassifier.fit``. Personal data is masked in the display and in the labels file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from ..classify import Taxonomy, read_labels, save_labels
from ..privacy import known_names, mask_text
from ..schema import UNCLASSIFIED
from ._display import STYLE
from ._html import escape

__all__ = ["ReviewQueue"]

_NEEDED = ("category_pred", "category_confidence")


def _blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value)) or str(value).strip() == ""
    except (TypeError, ValueError):
        return False


def _s(value: object) -> str:
    return "" if _blank(value) else str(value).strip()


class ReviewQueue:
    """Review widget over classified cases (the output of ``classify``).

    Parameters
    ----------
    cases:
        classified cases; needs ``category_pred`` and ``category_confidence`` (run ``classify``).
    labels_path:
        the CSV labels file (created when the first decision is saved).
    taxonomy:
        gives the categories of the correction dropdown (default: the national taxonomy).
    choices:
        the dropdown categories instead of the taxonomy's (e.g. an office's own label set).
    clock:
        returns the review time (tests pass a fixed clock).
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        *,
        labels_path: str | Path,
        taxonomy: Taxonomy | None = None,
        choices: Sequence[str] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        missing = [c for c in _NEEDED if c not in cases.columns]
        if missing:
            raise ValueError(
                f"ReviewQueue 需要分类结果列 {', '.join(missing)}, 请先运行 classify(cases) "
                f"(run classify first; missing {', '.join(missing)})"
            )
        self.labels_path = Path(labels_path)
        self._clock = clock or (lambda: datetime.now().replace(microsecond=0))
        tax = taxonomy if taxonomy is not None else Taxonomy.default()
        options = list(choices) if choices is not None else list(tax.names)
        extra = sorted({_s(v) for v in cases["category_pred"]} - set(options) - {"", UNCLASSIFIED})
        self.choices: list[str] = options + extra + [UNCLASSIFIED]
        self.queue = self._order(cases)
        #: the persons the whole frame knows, masked in every summary shown or saved
        self.names = frozenset(known_names(cases))
        saved = read_labels(self.labels_path)
        self.reviewed: dict[str, str] = dict(
            zip(saved["case_id"].tolist(), saved["label"].tolist(), strict=True)
        )
        self.position = 0
        self._build()
        first_open = [i for i, k in enumerate(self.queue["_key"]) if k not in self.reviewed]
        self.show(first_open[0] if first_open else 0)

    # --- data ---------------------------------------------------------------------------------
    @staticmethod
    def _order(cases: pd.DataFrame) -> pd.DataFrame:
        q = cases.copy()
        ids = q["case_id"] if "case_id" in q.columns else pd.Series(pd.NA, index=q.index)
        q["_key"] = [
            _s(v) if not _blank(v) else f"行{i}" for i, v in zip(range(len(q)), ids, strict=True)
        ]
        review = (
            q["needs_review"].fillna(False).astype(bool)
            if "needs_review" in q.columns
            else pd.Series(False, index=q.index)
        )
        q["_review"] = review.to_numpy()
        q["_conf"] = pd.to_numeric(q["category_confidence"], errors="coerce").fillna(0.0)
        q["_pos"] = np.arange(len(q))
        q = q.sort_values(["_review", "_conf", "_pos"], ascending=[False, True, True])
        return q.reset_index(drop=True)

    def suggestion(self, row: pd.Series) -> str:
        """What the widget proposes: the machine's class where it disagrees, else the prediction."""
        machine = _s(row.get("category_machine"))
        if bool(row.get("_review")) and machine and machine != UNCLASSIFIED:
            return machine
        pred = _s(row.get("category_pred"))
        return pred or UNCLASSIFIED

    @property
    def current(self) -> pd.Series:
        """The case on screen."""
        return self.queue.iloc[self.position]

    def masked_summary(self, row: pd.Series) -> str:
        """The summary with ID/phone numbers and the petitioner's name masked."""
        return self._masked(row, "summary")

    def _masked(self, row: pd.Series, name: str) -> str:
        """The text of column ``name`` with ID/phone numbers and persons masked (the evidence
        too: phrases cut from the summary)."""
        own = () if _blank(row.get("petitioner")) else (str(row.get("petitioner")),)
        return _s(mask_text(_s(row.get(name)), names=self.names.union(own)))

    @property
    def n_reviewed(self) -> int:
        """Cases of this queue that have a saved decision (including earlier sessions)."""
        return int(self.queue["_key"].isin(self.reviewed.keys()).sum())

    # --- widgets ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.counter = w.HTML()
        self.case_html = w.HTML()
        self.accept_button = w.Button(
            description="接受建议", button_style="success", icon="check", tooltip="保存建议分类"
        )
        self.correction = w.Dropdown(options=self.choices, description="更正为:")
        self.save_button = w.Button(description="保存更正", button_style="primary", icon="save")
        self.prev_button = w.Button(description="上一条", icon="arrow-left")
        self.next_button = w.Button(description="下一条", icon="arrow-right")
        self.status = w.HTML()
        self.accept_button.on_click(lambda _b: self.accept())
        self.save_button.on_click(lambda _b: self.save_correction())
        self.prev_button.on_click(lambda _b: self.show(self.position - 1))
        self.next_button.on_click(lambda _b: self.show(self.position + 1))
        self.widget = w.VBox(
            [
                self.counter,
                self.case_html,
                w.HBox([self.accept_button, self.correction, self.save_button]),
                w.HBox([self.prev_button, self.next_button]),
                self.status,
            ]
        )

    def _render(self) -> None:
        n = len(self.queue)
        self.counter.value = f"<b>已复核 {self.n_reviewed} / 共 {n} 件</b>" + (
            f" &nbsp; 当前第 {self.position + 1} 件" if n else ""
        )
        self.prev_button.disabled = self.position <= 0
        self.next_button.disabled = self.position >= n - 1
        for b in (self.accept_button, self.save_button):
            b.disabled = n == 0
        if n == 0:
            self.case_html.value = "<i>没有需要复核的案件</i>"
            return
        row = self.current
        sugg = self.suggestion(row)
        conf = float(row["_conf"])
        lines = [
            ("信访件编号", _s(row.get("case_id")) or "(无编号)"),
            ("登记日期", _s(row.get("received_date"))[:10]),
            ("原分类", _s(row.get("category")) or "(未填写)"),
            (
                "建议分类",
                sugg
                + (
                    f" / {_s(row.get('category_level2'))}"
                    if sugg == _s(row.get("category_pred")) and _s(row.get("category_level2"))
                    else ""
                ),
            ),
            ("置信度", f"{conf:.0%}"),
            ("分类依据", self._masked(row, "category_evidence") or "(无)"),
        ]
        if bool(row["_review"]):
            lines.insert(0, ("提示", "原分类与规则/模型判断不一致, 请核对"))
        key = row["_key"]
        if key in self.reviewed:
            lines.append(("已复核", self.reviewed[key]))
        # a table with a fixed label column: an empty field shows "—" and keeps its row
        body = "".join(
            f"<tr><th>{escape(k)}</th><td>{escape(v) if v else '—'}</td></tr>" for k, v in lines
        )
        summary = escape(self.masked_summary(row)) or "<i>(无反映内容)</i>"
        self.case_html.value = (
            f'{STYLE}<div class="xf-review-card">'
            f'<p class="xf-review-summary">{summary}</p>'
            f'<table class="xf-table xf-card">{body}</table></div>'
        )
        current = self.reviewed.get(key, sugg)
        self.correction.value = current if current in self.choices else UNCLASSIFIED

    def show(self, position: int) -> None:
        """Go to case number ``position`` (0-based, clipped to the queue)."""
        n = len(self.queue)
        self.position = int(min(max(position, 0), max(n - 1, 0)))
        self._render()

    # --- decisions ----------------------------------------------------------------------------
    def _record(self, label: str) -> None:
        if not len(self.queue):
            return
        row = self.current
        key = row["_key"]
        save_labels(
            self.labels_path,
            [
                {
                    "case_id": key,
                    "summary": self.masked_summary(row),
                    "label": label,
                    "reviewed_at": self._clock().isoformat(sep=" "),
                }
            ],
        )
        self.reviewed[key] = label
        self.status.value = f"已保存: {escape(key)} → {escape(label)}"
        if self.position < len(self.queue) - 1:
            self.show(self.position + 1)
        else:
            self._render()

    def accept(self) -> None:
        """Save the suggestion as the label of the current case and go to the next one."""
        if len(self.queue):
            self._record(self.suggestion(self.current))

    def save_correction(self) -> None:
        """Save the dropdown's category as the label of the current case, then go on."""
        self._record(str(self.correction.value))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"ReviewQueue({len(self.queue)} 件, 已复核 {self.n_reviewed}, 标注文件 {self.labels_path})"
