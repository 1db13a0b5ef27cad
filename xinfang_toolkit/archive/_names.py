"""Names of the archive that cost nothing to import (the command line builds its parser from them)."""

#: the archive file when none is named: in a data folder in the user's home, outside any
#: project folder (the archive holds personal data in full: never inside a repository, where a
#: commit or a copy of the project would take it along). ``~`` is the home folder on Windows too.
DEFAULT_PATH = "~/xinfang_data/archive.duckdb"
