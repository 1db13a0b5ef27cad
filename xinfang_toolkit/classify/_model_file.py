"""A TextClassifier's files: JSON (settings, labels, vocabulary, rules) and NumPy .npz (idf,
coefficients), read with ``allow_pickle=False`` and every part checked, so that loading never
executes code and a damaged file gives one clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ._model_error import TextClassifierError

if TYPE_CHECKING:
    from ._taxonomy import Taxonomy

__all__ = ["model_base", "read_model_files", "rules_meta", "rules_taxonomy", "write_model_files"]

_FORMAT = "xinfang_toolkit.TextClassifier/2"
_FORMAT_1 = "xinfang_toolkit.TextClassifier/1"  # sublinear tf, no rule features: still read
_SETTINGS = (
    "ngram_range",
    "C",
    "min_df",
    "max_features",
    "temperature",
    "sublinear_tf",
    "rule_weight",
)
_META = ("format", "settings", "classes", "vocabulary", "rules")
_ARRAYS = ("idf", "coef", "intercept")


def model_base(path: str | Path) -> Path:
    """The model's path without .json / .npz."""
    base = Path(path)
    return base.with_suffix("") if base.suffix in (".json", ".npz") else base


def write_model_files(
    base: Path, *, settings: dict, classes, vocabulary: list[str], rules: list[dict], arrays: dict
) -> Path:
    """Write ``<base>.json`` and ``<base>.npz``; return the path of the JSON file."""
    base.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": _FORMAT,
        "settings": settings,
        "classes": [str(c) for c in classes],
        "vocabulary": vocabulary,
        "rules": rules,
    }
    json_path = base.with_suffix(".json")
    json_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    arrays = {k: np.asarray(arrays[k], dtype=np.float64) for k in _ARRAYS}
    np.savez_compressed(base.with_suffix(".npz"), **arrays)
    return json_path


def rules_meta(tax: Taxonomy | None) -> list[dict]:
    """The keyword rules a model was trained with, for its JSON file."""
    if tax is None:
        return []
    return [
        {
            "name": c.name,
            "keywords": list(c.all_keywords()),
            "negative": list(c.negative),
            "context": list(c.context),
        }
        for c in tax.classes
    ]


def rules_taxonomy(rules: list[dict]) -> Taxonomy | None:
    """The keyword rules of a model's JSON file as a taxonomy (None: no rules)."""
    from ._taxonomy import CategoryClass, Taxonomy

    if not rules:
        return None
    classes = [
        CategoryClass(
            r["name"], tuple(r["keywords"]), tuple(r["negative"]), context=tuple(r["context"])
        )
        for r in rules
    ]
    return Taxonomy(classes, source="<model>")


# --- reading, every part checked ----------------------------------------------------------------
def _broken(base: Path, why: str) -> TextClassifierError:
    return TextClassifierError(
        f"模型文件损坏或版本不符: {base.name}.json / {base.name}.npz: {why} "
        "(model file damaged or of another version; train and save the model again)"
    )


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return (_is_int(v) or isinstance(v, float)) and bool(np.isfinite(v))


def _upgrade(meta: dict) -> dict:
    """A model of format /1 read as /2: sublinear tf, no rule features."""
    if meta.get("format") != _FORMAT_1 or not isinstance(meta.get("settings"), dict):
        return meta
    meta = {**meta, "format": _FORMAT, "rules": []}
    meta["settings"] = {**meta["settings"], "sublinear_tf": True, "rule_weight": 0.0}
    return meta


def _read_meta(base: Path) -> dict:
    """The JSON metadata, upgraded to the current format, with exactly the expected items."""
    json_path, npz_path = base.with_suffix(".json"), base.with_suffix(".npz")
    for p in (json_path, npz_path):
        if not p.is_file():
            raise _broken(base, f"找不到模型文件 {p} (model file not found)")
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:  # truncated or altered JSON, bad encoding
        raise _broken(base, f"{json_path.name} 无法读取 ({exc})") from None
    if not isinstance(meta, dict):
        raise _broken(base, f"{json_path.name} 不是本工具保存的模型")
    meta = _upgrade(meta)
    if meta.get("format") != _FORMAT:
        raise _broken(
            base,
            f"{json_path.name} 不是本工具保存的模型 (format {meta.get('format')!r}, "
            f"expected {_FORMAT!r})",
        )
    extra = sorted(set(meta) - set(_META))
    missing = [k for k in _META if k not in meta]
    if missing or extra:
        raise _broken(base, f"缺少 {missing} / 未知的项 {extra}")
    settings = meta["settings"]
    if not isinstance(settings, dict) or set(settings) != set(_SETTINGS):
        got = sorted(settings) if isinstance(settings, dict) else settings
        raise _broken(base, f"设置项应为 {list(_SETTINGS)}, 实为 {got} (unknown settings)")
    return meta


def _setting_problems(s: dict) -> list[str]:
    out = []
    ng = s["ngram_range"]
    if not (isinstance(ng, list) and len(ng) == 2 and all(_is_int(v) for v in ng)) or not (
        1 <= ng[0] <= ng[1]
    ):
        out.append(f"ngram_range 应为 [最小, 最大] 且 1 <= 最小 <= 最大, 实为 {ng!r}")
    if not (_is_number(s["C"]) and s["C"] > 0):
        out.append(f"C 应为正数, 实为 {s['C']!r}")
    if not (_is_int(s["min_df"]) and s["min_df"] >= 1):
        out.append(f"min_df 应为正整数, 实为 {s['min_df']!r}")
    most = s["max_features"]
    if most is not None and not (_is_int(most) and most >= 1):
        out.append(f"max_features 应为正整数或 null, 实为 {most!r}")
    if not (_is_number(s["temperature"]) and s["temperature"] > 0):
        out.append(f"temperature 应为正数, 实为 {s['temperature']!r} (0 would divide by zero)")
    if not isinstance(s["sublinear_tf"], bool):
        out.append(f"sublinear_tf 应为 true 或 false, 实为 {s['sublinear_tf']!r}")
    if not (_is_number(s["rule_weight"]) and s["rule_weight"] >= 0):
        out.append(f"rule_weight 应为非负数, 实为 {s['rule_weight']!r}")
    return out


def _rules_problems(rules: object) -> list[str]:
    def words(v: object) -> bool:
        return isinstance(v, list) and all(isinstance(w, str) and w for w in v)

    ok = isinstance(rules, list) and all(
        isinstance(r, dict)
        and set(r) == {"name", "keywords", "negative", "context"}
        and isinstance(r["name"], str)
        and r["name"]
        and words(r["keywords"])
        and r["keywords"]
        and words(r["negative"])
        and words(r["context"])
        for r in rules
    )
    return [] if ok else ["规则应为 {name, keywords, negative, context} 的列表 (rules)"]


def _names_problems(classes: object, vocabulary: object) -> list[str]:
    """Problems of the class list (two or more distinct names, sorted) and the vocabulary
    (distinct non-empty terms)."""
    out = []
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or not all(isinstance(c, str) and c for c in classes)
        or len(set(classes)) != len(classes)
        or classes != sorted(classes)
    ):
        out.append("分类列表应为至少两个不重复的名称 (classes)")
    if (
        not isinstance(vocabulary, list)
        or not all(isinstance(t, str) and t for t in vocabulary)
        or len(set(vocabulary)) != len(vocabulary)
    ):
        out.append("词表应为不重复的非空字符串 (vocabulary)")
    return out


def _check_meta(base: Path, meta: dict) -> None:
    """Raise when the settings, rules, classes or vocabulary are unusable."""
    settings = meta["settings"]
    problems = _setting_problems(settings) + _rules_problems(meta["rules"])
    if not problems and (settings["rule_weight"] > 0) != bool(meta["rules"]):
        problems.append("rule_weight 与规则列表不一致 (rule_weight vs rules)")
    problems += _names_problems(meta["classes"], meta["vocabulary"])
    if problems:
        raise _broken(base, "; ".join(problems))


def _read_arrays(base: Path) -> dict[str, np.ndarray]:
    import zipfile

    npz_path = base.with_suffix(".npz")
    try:
        # the file is opened here: np.load leaves its own handle open when the zip is broken
        with npz_path.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
            names = set(npz.files)
            if names != set(_ARRAYS):
                raise _broken(base, f"{npz_path.name} 应含 {list(_ARRAYS)}, 实含 {sorted(names)}")
            return {k: np.asarray(npz[k]) for k in _ARRAYS}
    except TextClassifierError:
        raise
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise _broken(base, f"{npz_path.name} 无法读取 ({type(exc).__name__}: {exc})") from None


def _check_arrays(
    base: Path, a: dict[str, np.ndarray], *, n_classes: int, n_terms: int, n_rules: int
) -> None:
    rows = 1 if n_classes == 2 else n_classes  # two classes: one margin, as LinearSVC stores
    want = {"idf": (n_terms,), "coef": (rows, n_terms + n_rules), "intercept": (rows,)}
    for name, shape in want.items():
        arr = a[name]
        if arr.dtype.kind != "f":
            raise _broken(base, f"{name} 应为浮点数组, 实为 {arr.dtype}")
        if arr.shape != shape:
            raise _broken(
                base,
                f"{name} 的形状应为 {shape} (分类 {n_classes}, 词表 {n_terms}, 规则 {n_rules}), "
                f"实为 {arr.shape}",
            )
        if not np.isfinite(arr).all():
            raise _broken(base, f"{name} 含有 NaN 或无穷大")
        a[name] = arr.astype(np.float64)
    if (a["idf"] < 1.0 - 1e-9).any():  # smoothed idf = ln((1+n)/(1+df)) + 1 >= 1
        raise _broken(base, "idf 中有小于 1 的值")


def read_model_files(base: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The JSON metadata and the arrays of a saved model, every part checked."""
    meta = _read_meta(base)
    _check_meta(base, meta)
    arrays = _read_arrays(base)
    vocabulary = meta["vocabulary"]
    _check_arrays(
        base,
        arrays,
        n_classes=len(meta["classes"]),
        n_terms=len(vocabulary),
        n_rules=len(meta["rules"]),
    )
    lo, hi = meta["settings"]["ngram_range"]
    if any(not lo <= len(t) <= hi for t in vocabulary):
        raise _broken(base, f"词表中有长度不在 {lo}-{hi} 之间的词 (vocabulary vs ngram_range)")
    return meta, arrays
