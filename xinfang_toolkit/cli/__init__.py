"""The ``xinfang`` command: load ledgers, classify cases, write the work report.

    xinfang load FILES... -o out/
    xinfang report FILES... --from 2021-01-01 --to 2021-04-30 [--compare yoy] -o report.docx
                            [--xlsx report.xlsx]
    xinfang classify FILES... -o out/
    xinfang archive import FOLDER [--dry-run] | undo | status | changes --from --to | export -o DIR
    xinfang dossier LEDGERS_OR_ARCHIVE --backlog [--today DAY] -o FOLDER
    xinfang doctor

Exit codes: 0 done; 1 data problems were reported (see the issues file) but the output was
written; 2 unusable input or output (no readable ledger, a missing file, bad arguments, a
template that reaches for Python internals, an output that is a folder, a device or FIFO, an
input, a ledger the archive imported, a workbook the toolkit did not write, or in a read-only
folder; disk full; a damaged, read-only or crafted archive; an import period far from the
data): nothing written; 130 interrupted (Ctrl-C, SIGTERM): nothing written. Outputs are
written to temporary files and renamed together when all are complete.
Personal data is masked in every file written unless --no-mask is given.

The rooms: ``_parser`` (the argument parser, one step per command), ``_commands`` (load, report,
classify, doctor), ``_archive`` (``xinfang archive ...``), ``_dossier`` (``xinfang dossier``),
``_main`` (running a command: signals, errors, exit codes), ``_common`` (what they share).
"""

from ._commands import CLASSIFY_OUTPUTS, LOAD_OUTPUTS
from ._common import EXIT_DATA_PROBLEMS, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNUSABLE
from ._main import entry, main
from ._parser import build_parser

__all__ = [
    "CLASSIFY_OUTPUTS",
    "EXIT_DATA_PROBLEMS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNUSABLE",
    "LOAD_OUTPUTS",
    "build_parser",
    "entry",
    "main",
]
