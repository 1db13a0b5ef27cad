"""The one pandas option the loader sets when it is imported: text columns keep Python storage.

pyarrow is a dependency of the loader (fastexcel, pyarrow.csv); with pyarrow installed pandas
would store every ``"string"`` column in Arrow, which changes what ``.map`` and ``.str`` return
and rejects lone surrogates. The package is written and tested against Python storage.
"""

import pandas as pd

pd.set_option("mode.string_storage", "python")
