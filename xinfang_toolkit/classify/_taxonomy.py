"""The editable content taxonomy: classes, keywords, local names and matter-type rules.

The data lives in ``xinfang_toolkit/data/taxonomy.yaml`` and ``data/local_categories.csv``; the
format is documented at the top of the YAML file. Problems in a file are collected and reported
together, each naming its line, so an analyst can fix them in one pass.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from .._base.text import fold_width
from .._datafile import DataFileError, read_text
from ..schema import MATTER_TYPES, TEXT_DTYPE, UNCLASSIFIED

__all__ = ["CategoryClass", "MatterRule", "Taxonomy", "TaxonomyError"]


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used; the message names the file and line(s)."""


@dataclass(frozen=True)
class CategoryClass:
    """One first-level class with its keywords, exclusion words and second-level classes."""

    name: str
    keywords: tuple[str, ...]
    negative: tuple[str, ...] = ()
    #: second-level classes: name -> keywords
    children: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: context words: they place a message (学校, 工地, 医院) more than they name its problem,
    #: so they count half; a message told in another class's setting goes by its problem words
    context: tuple[str, ...] = ()

    def all_keywords(self) -> tuple[str, ...]:
        """Own keywords plus those of every second-level class, without duplicates."""
        seen = dict.fromkeys(self.keywords)
        for words in self.children.values():
            seen.update(dict.fromkeys(words))
        return tuple(seen)


@dataclass(frozen=True)
class MatterRule:
    """A matter type (事项类型) given when one of ``keywords`` and none of ``unless`` occurs."""

    name: str
    keywords: tuple[str, ...]
    unless: tuple[str, ...] = ()


def _data_path(name: str) -> Path:
    return Path(str(resources.files("xinfang_toolkit") / "data" / name))


def _norm_label(value: object) -> str:
    """Normalise a category name for lookup: NFKC, no spaces, no trailing 类/问题/方面."""
    s = fold_width(str(value)).strip()
    s = "".join(s.split())
    return s


def _strip_suffix(s: str) -> str:
    for suffix in ("问题", "方面", "类", "事项"):
        if len(s) > len(suffix) + 1 and s.endswith(suffix):
            return s[: -len(suffix)]
    return s


class Taxonomy:
    """Content categories with keywords, a local-name mapping and matter-type rules.

    Build it with :meth:`default`, :meth:`from_file` or :meth:`from_dict`. The keyword matcher
    (an Aho-Corasick automaton over every keyword) is built on first use and reused.
    """

    def __init__(
        self,
        classes: Iterable[CategoryClass],
        *,
        local_names: Mapping[str, tuple[str, str | None] | None] | None = None,
        matter_rules: Iterable[MatterRule] = (),
        default_matter_type: str | None = "申诉求决类",
        source: str = "<dict>",
    ) -> None:
        self.classes: tuple[CategoryClass, ...] = tuple(classes)
        self.source = source
        self.matter_rules: tuple[MatterRule, ...] = tuple(matter_rules)
        self.default_matter_type = default_matter_type
        self._by_name = {c.name: c for c in self.classes}
        self._level2_parent: dict[str, str] = {}
        for c in self.classes:
            for child in c.children:
                self._level2_parent.setdefault(child, c.name)
        self.local_names: dict[str, tuple[str, str | None] | None] = {}
        for key, value in (local_names or {}).items():
            self.local_names[_norm_label(key)] = value
        self._matcher = None

    # --- construction -----------------------------------------------------------------------
    @classmethod
    def default(cls) -> Taxonomy:
        """The national 15-class taxonomy shipped with the package, with local names."""
        return cls.from_file(
            _data_path("taxonomy.yaml"), local_names=_data_path("local_categories.csv")
        )

    @staticmethod
    def export_default(folder: str | Path) -> tuple[Path, Path]:
        """Copy the default taxonomy.yaml and local_categories.csv into ``folder`` to edit.

        Load the edited copy with ``Taxonomy.from_file(yaml_path, local_names=csv_path)``.
        Existing files are not overwritten (an error says so).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        names = ("taxonomy.yaml", "local_categories.csv")
        targets = [folder / name for name in names]
        for target in targets:
            if target.exists():
                raise TaxonomyError(f"{target} 已存在, 不覆盖 (file exists, not overwritten)")
        for name, target in zip(names, targets, strict=True):
            target.write_bytes(_data_path(name).read_bytes())
        return targets[0], targets[1]

    @classmethod
    def from_file(cls, path: str | Path, *, local_names: str | Path | None = None) -> Taxonomy:
        """Read a taxonomy YAML file (format: see the top of data/taxonomy.yaml).

        ``local_names`` is an optional CSV (local_name, category, category_level2) merged over
        any ``local_names`` section of the YAML file.
        """
        path = Path(path)
        if not path.is_file():
            raise TaxonomyError(f"找不到分类表文件 {path} (taxonomy file not found)")
        text = _decode_csv(path)  # UTF-8, or GBK as saved by Notepad on Chinese Windows
        tax = _parse_yaml(text, source=path.name)
        if local_names is not None:
            extra = _read_local_csv(Path(local_names), tax)
            merged = dict(tax.local_names)
            merged.update(extra)
            tax.local_names = merged
        return tax

    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "<dict>") -> Taxonomy:
        """Build from the same structure as the YAML file (handy in tests and notebooks)."""
        return _parse_yaml(yaml.safe_dump(dict(data), allow_unicode=True), source=source)

    # --- lookups ----------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """First-level class names, in file order."""
        return tuple(c.name for c in self.classes)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> CategoryClass:
        return self._by_name[name]

    def __len__(self) -> int:
        return len(self.classes)

    def __repr__(self) -> str:
        n2 = sum(len(c.children) for c in self.classes)
        return (
            f"Taxonomy({len(self.classes)} 一级分类, {n2} 二级分类, "
            f"{len(self.local_names)} 本地名称, source={self.source!r})"
        )

    def normalize(self, label: object) -> tuple[str, str | None] | None:
        """Map a given (local or national) category name to ``(level1, level2 or None)``.

        Returns None when the label is empty, carries no category (e.g. 其他) or is unknown;
        use :meth:`is_known` to tell the last two apart.
        """
        found = self._lookup(label)
        return found if isinstance(found, tuple) else None

    def is_known(self, label: object) -> bool:
        """True when ``label`` is a class, a second-level class or a listed local name."""
        return self._lookup(label) is not _UNKNOWN

    def _lookup(self, label: object):
        if label is None or (not isinstance(label, str) and pd.isna(label)):
            return None
        s = _norm_label(label)
        if not s or s == UNCLASSIFIED:
            return None
        for key in (s, _strip_suffix(s)):
            if key in self._by_name:
                return (key, None)
            if key in self.local_names:
                return self.local_names[key]
            if key in self._level2_parent:
                return (self._level2_parent[key], key)
        return _UNKNOWN

    def normalize_series(self, labels: pd.Series) -> pd.DataFrame:
        """Vectorised :meth:`normalize`: columns level1, level2, known (one lookup per value).

        ``known`` is False only for a non-empty name that the taxonomy does not know.
        """
        uniq = pd.unique(labels.astype("object"))
        table = {}
        for v in uniq:
            found = self._lookup(v)
            if isinstance(found, tuple):
                table[v] = (found[0], found[1], True)
            else:
                table[v] = (None, None, found is not _UNKNOWN)
        rows = [table[v] for v in labels.astype("object")]
        out = pd.DataFrame(rows, columns=["level1", "level2", "known"], index=labels.index)
        out["level1"] = out["level1"].astype(TEXT_DTYPE)
        out["level2"] = out["level2"].astype(TEXT_DTYPE)
        out["known"] = out["known"].astype(bool)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per (class, second-level class) with its keywords, for display or export."""
        rows = []
        for c in self.classes:
            rows.append(
                {
                    "一级分类": c.name,
                    "二级分类": "",
                    "关键词": "、".join(c.keywords),
                    "排除词": "、".join(c.negative),
                    "背景词": "、".join(c.context),
                }
            )
            for child, words in c.children.items():
                rows.append(
                    {
                        "一级分类": c.name,
                        "二级分类": child,
                        "关键词": "、".join(words),
                        "排除词": "",
                        "背景词": "",
                    }
                )
        return pd.DataFrame(rows)

    @property
    def matcher(self):
        """The compiled keyword matcher (built once, on first use)."""
        if self._matcher is None:
            from ._rules import KeywordMatcher

            self._matcher = KeywordMatcher(self)
        return self._matcher


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown category>"


_UNKNOWN = _Unknown()


# --- parsing with line numbers ---------------------------------------------------------------
@lru_cache(maxsize=1)
def shared_default() -> Taxonomy:
    """The shipped taxonomy, read once per process (its matcher too, on first use) and shared:
    only for read-only use inside the package (``classify`` without a taxonomy). Whoever may
    change a taxonomy takes their own from :meth:`Taxonomy.default`."""
    return Taxonomy.default()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _words(node: yaml.Node | None, problems: list[str], where: str) -> tuple[str, ...]:
    """A keyword list node -> tuple of non-empty strings (a single string is accepted too)."""
    if node is None:
        return ()
    if isinstance(node, yaml.ScalarNode):
        items = [node] if node.value not in ("", "null", "~") else []
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
    else:
        problems.append(f"第 {_line(node)} 行: {where} 应为词语列表 (expected a list of words)")
        return ()
    out = []
    for item in items:
        if not isinstance(item, yaml.ScalarNode):
            problems.append(f"第 {_line(item)} 行: {where} 中有无法识别的项 (not a word)")
            continue
        word = fold_width(str(item.value)).strip()
        if word:
            out.append(word)
    return tuple(dict.fromkeys(out))


def _compose(text: str, source: str) -> dict[str, yaml.Node]:
    """The top-level items of the YAML text, by key (a syntax error names its line)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else "?"
        raise TaxonomyError(
            f"分类表 {source} 第 {line} 行格式错误 (YAML syntax error at line {line}): "
            f"{exc.problem or exc}"
        ) from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"分类表 {source} 格式错误 (YAML error): {exc}") from None
    if not isinstance(root, yaml.MappingNode):
        raise TaxonomyError(
            f"分类表 {source} 应以 classes: 开头 (expected a mapping with 'classes')"
        )
    return _mapping(root)


def _scalar_name(node: yaml.Node | None) -> str:
    """The stripped text of a scalar ``name`` node ("" for none or not a scalar)."""
    return str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""


def _children(kids: yaml.Node | None, name: str, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """The second-level classes of class ``name``: their keywords by name."""
    children: dict[str, tuple[str, ...]] = {}
    if kids is not None and isinstance(kids, yaml.SequenceNode):
        for kid in kids.value:
            fields = _mapping(kid) if isinstance(kid, yaml.MappingNode) else {}
            kid_name = _scalar_name(fields.get("name"))
            if not kid_name:
                problems.append(f"第 {_line(kid)} 行: 「{name}」的二级分类缺少名称")
                continue
            words = _words(fields.get("keywords"), problems, f"二级分类「{kid_name}」的 keywords")
            if not words:
                problems.append(
                    f"第 {_line(kid)} 行: 二级分类「{kid_name}」没有关键词 (class has no keywords)"
                )
            children[kid_name] = words
    elif kids is not None and not (
        isinstance(kids, yaml.ScalarNode) and kids.value in ("", "null", "~")
    ):
        problems.append(f"第 {_line(kids)} 行: 「{name}」的 children 应为列表")
    return children


def _category_class(
    item: yaml.Node, seen: dict[str, int], problems: list[str]
) -> CategoryClass | None:
    """One entry of ``classes`` (None when it cannot be a class; the problem is noted)."""
    if not isinstance(item, yaml.MappingNode):
        problems.append(f"第 {_line(item)} 行: 分类应写成 name/keywords 结构")
        return None
    fields = _mapping(item)
    name = _scalar_name(fields.get("name"))
    if not name:
        problems.append(f"第 {_line(item)} 行: 分类缺少名称 (class without a name)")
        return None
    if name in seen:
        problems.append(
            f"第 {_line(item)} 行: 分类「{name}」重复 (already defined at line {seen[name]})"
        )
        return None
    seen[name] = _line(item)
    keywords = _words(fields.get("keywords"), problems, f"分类「{name}」的 keywords")
    if not keywords:
        problems.append(f"第 {_line(item)} 行: 分类「{name}」没有关键词 (class has no keywords)")
    negative = _words(fields.get("negative"), problems, f"分类「{name}」的 negative")
    context = _words(fields.get("context"), problems, f"分类「{name}」的 context")
    children = _children(fields.get("children"), name, problems)
    return CategoryClass(name, keywords, negative, children, context)


def _category_classes(
    class_list: yaml.Node | None, source: str, problems: list[str]
) -> list[CategoryClass]:
    """The ``classes`` list (a taxonomy without one is refused at once)."""
    if not isinstance(class_list, yaml.SequenceNode) or not class_list.value:
        where = f"第 {_line(class_list)} 行: " if class_list is not None else ""
        raise TaxonomyError(f"分类表 {source} {where}没有 classes 列表 (no 'classes' list)")
    seen: dict[str, int] = {}
    parsed = (_category_class(item, seen, problems) for item in class_list.value)
    return [c for c in parsed if c is not None]


def _local_names(
    node: yaml.Node | None, classes: list[CategoryClass], problems: list[str]
) -> dict[str, tuple[str, str | None] | None]:
    """``local_names``: each local name's class (level 1, level 2), None for 不分类."""
    names = {c.name for c in classes}
    level2 = {k: c.name for c in classes for k in c.children}
    local: dict[str, tuple[str, str | None] | None] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value).strip()
            value = None if value_node.tag.endswith(":null") else str(value_node.value).strip()
            try:
                local[key] = _resolve_local(value, names, level2)
            except ValueError as exc:
                problems.append(f"第 {_line(key_node)} 行: 本地名称「{key}」{exc}")
    elif node is not None and not (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")
    ):
        problems.append(f"第 {_line(node)} 行: local_names 应为 名称: 分类 的对照表")
    return local


def _matter_rules(node: yaml.Node | None, problems: list[str]) -> list[MatterRule]:
    """``matter_types``: the keyword rules of each matter type."""
    rules: list[MatterRule] = []
    if not isinstance(node, yaml.SequenceNode):
        return rules
    for item in node.value:
        fields = _mapping(item) if isinstance(item, yaml.MappingNode) else {}
        name = str(fields["name"].value).strip() if "name" in fields else ""
        if name not in MATTER_TYPES:
            problems.append(
                f"第 {_line(item)} 行: 事项类型「{name}」应为 {'、'.join(MATTER_TYPES)} 之一"
            )
            continue
        keywords = _words(fields.get("keywords"), problems, f"事项类型「{name}」的 keywords")
        if not keywords:
            problems.append(f"第 {_line(item)} 行: 事项类型「{name}」没有关键词")
        unless = _words(fields.get("unless"), problems, "unless")
        rules.append(MatterRule(name, keywords, unless))
    return rules


def _default_matter_type(node: yaml.Node | None, problems: list[str]) -> str | None:
    """``default_matter_type``: one of the matter types, or None."""
    value = (
        str(node.value).strip()
        if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null")
        else None
    )
    if value is not None and value not in MATTER_TYPES:
        problems.append(
            f"第 {_line(node)} 行: default_matter_type「{value}」应为 "
            f"{'、'.join(MATTER_TYPES)} 之一"
        )
    return value


def _parse_yaml(text: str, *, source: str) -> Taxonomy:
    """A taxonomy from its YAML text (``classes``, ``local_names``, ``matter_types``,
    ``default_matter_type``), every problem found listed in one :class:`TaxonomyError` with its
    line number (``source`` names the file in the messages)."""
    top = _compose(text, source)
    problems: list[str] = []
    classes = _category_classes(top.get("classes"), source, problems)
    local = _local_names(top.get("local_names"), classes, problems)
    rules = _matter_rules(top.get("matter_types"), problems)
    default_value = _default_matter_type(top.get("default_matter_type"), problems)
    if problems:
        raise TaxonomyError(
            f"分类表 {source} 有 {len(problems)} 处问题 (taxonomy problems):\n"
            + "\n".join(problems)
        )
    return Taxonomy(
        classes,
        local_names=local,
        matter_rules=rules,
        default_matter_type=default_value,
        source=source,
    )


def _resolve_local(
    value: str | None, names: set[str], level2: dict[str, str]
) -> tuple[str, str | None] | None:
    if value is None or value == "":
        return None
    l1, _, l2 = value.partition("/")
    l1, l2 = l1.strip(), l2.strip() or None
    if l1 not in names:
        if l2 is None and l1 in level2:
            return (level2[l1], l1)
        raise ValueError(f"对应的分类「{l1}」不在分类表中 (unknown class)")
    if l2 is not None and level2.get(l2) != l1:
        # an unknown second-level name is kept as written: offices may be finer than the file
        if l2 in level2:
            raise ValueError(f"的二级分类「{l2}」属于「{level2[l2]}」, 不属于「{l1}」")
    return (l1, l2)


def _decode_csv(path: Path) -> str:
    """A text file's content: UTF-8 (with or without BOM), else GB18030 (Chinese Windows)."""
    try:
        return read_text(path, name=path.name)
    except DataFileError as exc:
        raise TaxonomyError(str(exc)) from None


def _read_local_csv(path: Path, tax: Taxonomy) -> dict[str, tuple[str, str | None] | None]:
    names = set(tax.names)
    level2 = {k: c.name for c in tax.classes for k in c.children}
    problems: list[str] = []
    out: dict[str, tuple[str, str | None] | None] = {}
    try:
        with io.StringIO(_decode_csv(path), newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"local_name", "category"} - set(reader.fieldnames or ())
            if missing:
                raise TaxonomyError(
                    f"本地分类对照表 {path.name} 缺少列 {', '.join(sorted(missing))} "
                    "(needs columns local_name, category[, category_level2])"
                )
            for lineno, row in enumerate(reader, start=2):
                key = (row.get("local_name") or "").strip()
                if not key:
                    continue
                l1 = (row.get("category") or "").strip()
                l2 = (row.get("category_level2") or "").strip()
                value = f"{l1}/{l2}" if l1 and l2 else l1
                try:
                    out[_norm_label(key)] = _resolve_local(value, names, level2)
                except ValueError as exc:
                    problems.append(f"第 {lineno} 行: 本地名称「{key}」{exc}")
    except FileNotFoundError:
        raise TaxonomyError(f"找不到本地分类对照表 {path} (file not found)") from None
    if problems:
        raise TaxonomyError(f"本地分类对照表 {path.name} 有问题:\n" + "\n".join(problems))
    return out
