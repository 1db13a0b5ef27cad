"""Names of the archive that cost nothing to import (the command line builds its parser from them)."""

#: the archive file when none is named: in the working folder
DEFAULT_PATH = "archive.duckdb"
