"""Time limits as data: data/rules_2022.yaml, data/rules_2005.yaml, or a local YAML file.

A local file may name a ``base`` ("2022" or "2005") and override only the keys it changes, e.g.::

    base: "2022"
    limits:
      handling: {days: 30, unit: working}
    due_soon_days: 5
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._datafile import DataFileError, data_file, load_yaml

__all__ = ["Rules", "load_rules"]

_BUILTIN = {"2022": "rules_2022.yaml", "2005": "rules_2005.yaml"}
_UNITS = ("calendar", "working")


@dataclass(frozen=True)
class Limit:
    days: int
    unit: str = "calendar"
    #: the Chinese name of the step (登记、转送交办), from the rules file
    label: str = ""


@dataclass(frozen=True)
class Rules:
    """Parsed time limits plus the local thresholds the analysis uses."""

    name: str
    limits: dict[str, Limit]
    due_soon_days: int = 7
    backlog_chain_span_days: int = 180
    backlog_chain_min_cases: int = 3
    source: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def table(self) -> pd.DataFrame:
        """The limits as analysts read them: 环节, 时限（天）, 计算方式 (自然日 / 工作日)."""
        return pd.DataFrame(
            {
                "环节": [v.label for v in self.limits.values()],
                "时限（天）": [v.days for v in self.limits.values()],
                "计算方式": [
                    "工作日" if v.unit == "working" else "自然日" for v in self.limits.values()
                ],
            }
        )

    def limit(self, key: str) -> Limit:
        try:
            return self.limits[key]
        except KeyError:
            raise KeyError(
                f"规则“{self.name}”中没有时限“{key}”（已有：{', '.join(self.limits)}）"
                f" / no limit {key!r} in rules"
            ) from None


def _read_builtin(key: str) -> dict:
    name = _BUILTIN[key]
    data = load_yaml(data_file(name), name=f"data/{name}") or {}
    if not isinstance(data, dict):
        raise DataFileError(f"规则文件 data/{name} 的内容必须是键值表（YAML mapping）")
    return data


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _whole(value: object, key: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataFileError(f"规则文件 {source}：{key} 必须是非负整数，而不是 {value!r}")
    return value


def _parse(data: dict, source: str) -> Rules:
    limits: dict[str, Limit] = {}
    specs = data.get("limits") or {}
    if not isinstance(specs, dict):
        raise DataFileError(f"规则文件 {source}：limits 必须是“时限名: {{days: 数字}}”的键值表")
    for key, spec in specs.items():
        if isinstance(spec, int | float):
            spec = {"days": spec}
        if not isinstance(spec, dict) or "days" not in spec:
            raise ValueError(f"规则文件 {source}：时限“{key}”必须写成 {{days: 数字, unit: ...}}")
        days, unit = spec["days"], spec.get("unit", "calendar")
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise ValueError(f"规则文件 {source}：时限“{key}”的天数必须是非负整数，而不是 {days!r}")
        if unit not in _UNITS:
            raise ValueError(
                f"规则文件 {source}：时限“{key}”的 unit 必须是 calendar（自然日）或 working（工作日），"
                f"而不是 {unit!r}"
            )
        limits[key] = Limit(int(days), unit, str(spec.get("label") or key))
    if "handling" not in limits:
        raise ValueError(f"规则文件 {source} 缺少办理时限 limits.handling")
    backlog = data.get("backlog") or {}
    if not isinstance(backlog, dict):
        raise DataFileError(f"规则文件 {source}：backlog 必须是键值表（chain_span_days: 数字 …）")
    return Rules(
        name=str(data.get("name", source)),
        limits=limits,
        due_soon_days=_whole(data.get("due_soon_days", 7), "due_soon_days", source),
        backlog_chain_span_days=_whole(
            backlog.get("chain_span_days", 180), "backlog.chain_span_days", source
        ),
        backlog_chain_min_cases=_whole(
            backlog.get("chain_min_cases", 3), "backlog.chain_min_cases", source
        ),
        source=source,
        raw=data,
    )


def load_rules(rules: str | Path | dict | Rules = "2022") -> Rules:
    """Rules from "2022" / "2005", a path to a local YAML file, a dict, or a Rules (returned as is)."""
    if isinstance(rules, Rules):
        return rules
    if isinstance(rules, dict):
        data, source = rules, "<dict>"
    elif str(rules) in _BUILTIN:
        return _parse(_read_builtin(str(rules)), f"rules_{rules}.yaml")
    else:
        path = Path(rules)
        if not path.is_file():
            raise FileNotFoundError(
                f"找不到规则文件 {path}；可用内置规则：{', '.join(_BUILTIN)} / rules file not found"
            )
        data = load_yaml(path, name=f"规则文件 {path}") or {}
        source = str(path)
    if not isinstance(data, dict):
        raise ValueError(f"规则文件 {source} 的内容必须是键值表（YAML mapping）")
    base = data.get("base")
    if base is not None:
        if str(base) not in _BUILTIN:
            raise ValueError(
                f"规则文件 {source}：base 必须是 {' 或 '.join(_BUILTIN)}，而不是 {base!r}"
            )
        data = _merge(_read_builtin(str(base)), {k: v for k, v in data.items() if k != "base"})
    return _parse(data, source)
