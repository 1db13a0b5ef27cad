"""The package's text dtype: pandas' string dtype with Python storage, named once.

pandas 3 would store a bare ``"string"`` column in Arrow when pyarrow is installed, which
changes what ``.map`` and ``.str`` return and rejects lone surrogates. The package names this
dtype wherever it makes a text column, and sets no global pandas option (an analyst's own
frames keep pandas' defaults). ``schema.TEXT_DTYPE`` is the same object.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["TEXT_DTYPE"]

#: text columns of the data contract: pandas' string dtype, Python storage, <NA> for missing
TEXT_DTYPE = pd.StringDtype("python")
