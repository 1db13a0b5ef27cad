"""The labelled message sets shipped with the package, read from their CSV files.

- ``data/labelled_complaints.csv``: the stand-in training and evaluation corpus, 1,400 messages,
  200 in each of :data:`STANDIN_CLASSES` (written by ``xinfang_toolkit.synth.complaint_corpus``).
- ``data/eval_messages.csv``: 210 messages, 30 in each class, written by hand one by one in the
  words of citizens (not from the stand-in templates, nor from the taxonomy's keywords) and kept
  apart from all tuning: the held-out figure for the zero-shot rules and for models trained on
  the stand-in corpus.
"""

from __future__ import annotations

import pandas as pd

from .._datafile import data_file, read_csv_frame

__all__ = ["STANDIN_CLASSES", "handwritten_messages", "labelled_corpus"]

#: the 7 first-level classes of the shipped labelled sets
STANDIN_CLASSES: tuple[str, ...] = (
    "城乡建设",
    "劳动和社会保障",
    "环境保护",
    "农村农业",
    "教育文体",
    "卫生计生",
    "交通运输",
)


def _read(name: str) -> pd.DataFrame:
    return read_csv_frame(data_file(name), columns=("text", "label"), name=f"data/{name}")


def labelled_corpus() -> pd.DataFrame:
    """The stand-in labelled set (data/labelled_complaints.csv): columns ``text`` and ``label``."""
    return _read("labelled_complaints.csv")


def handwritten_messages() -> pd.DataFrame:
    """The hand-written held-out set (data/eval_messages.csv): columns ``text`` and ``label``."""
    return _read("eval_messages.csv")
