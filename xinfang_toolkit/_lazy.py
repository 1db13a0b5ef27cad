"""Lazy re-exports: a package's public names are imported from their module when first used.

``import xinfang_toolkit`` then costs almost nothing; scikit-learn, matplotlib, python-docx and
ipywidgets load only when a name that needs them is first touched (PEP 562 ``__getattr__``).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Mapping

__all__ = ["lazy_exports"]


class _LazyPackage(types.ModuleType):
    """A package whose public names resolve on first use.

    The import system binds a subpackage to its name on the parent once it is imported
    (``xinfang_toolkit.classify = <module>``). Where a public name is also a subpackage's name
    (the function ``classify`` and the subpackage ``classify``), the public name keeps it, as it
    did when the package imported everything eagerly.
    """

    _exports: Mapping[str, str] = {}

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in self._exports:
            return
        super().__setattr__(name, value)

    def __getattr__(self, name: str) -> object:
        module = self._exports.get(name)
        if module is not None:
            value = getattr(importlib.import_module(f".{module}", self.__name__), name)
        elif not name.startswith("_") and importlib.util.find_spec(f"{self.__name__}.{name}"):
            value = importlib.import_module(f".{name}", self.__name__)
        else:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        self.__dict__[name] = value
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(self.__dict__) | set(self._exports))


def lazy_exports(package: str, names: Mapping[str, str]) -> None:
    """Make ``package`` resolve its public ``names`` lazily.

    ``names`` maps each public name to the module (relative to ``package``, e.g. ``"load"``)
    that defines it. A resolved name is stored in the package's namespace, so each lookup
    happens once. Subpackages not yet imported are imported on attribute access too
    (``xinfang_toolkit.analysis`` after a bare ``import xinfang_toolkit``).
    """
    module = sys.modules[package]
    module._exports = dict(names)
    module.__class__ = _LazyPackage
