"""Load petition ledgers (Excel workbooks and CSV files) into one clean table of cases.

``load_cases(paths_or_folder, *, sheets=None, synonyms=None, year=None, mapping=None, today=None)
-> LoadResult``

* Reads .xlsx/.xlsm with fastexcel (calamine into Arrow, after one pass over the sheet XML that
  cuts off stray far cells such as one at XFD1048576, and finds merged ranges, long numbers and
  formulas without a cached value), .xls/.xlsb/.ods with python-calamine, and .csv in UTF-8,
  UTF-8 with BOM or GBK/GB18030 (detected; LF, CRLF or lone CR line ends) with pyarrow.csv.
  Several files and all visible sheets at once; every case carries ``source_file``,
  ``source_sheet`` and ``source_row`` (the row number Excel shows). A file that is locked,
  unreadable or corrupt is reported in ``issues`` and the others are read; NUL and other control
  characters in a cell are removed, and a half-written last CSV row is kept, each with an issue.
  Importing this subpackage sets no pandas option: text columns are ``schema.TEXT_DTYPE``
  (Python storage) by name, and an analyst's own frames keep pandas' defaults.
* Finds the header by itself (title and 填报单位/填报时间 lines above it, one- or two-row headers
  with merged group cells, spaces and line breaks in header text) and maps header text to
  canonical columns through the **synonym table** ``xinfang_toolkit/data/synonyms.csv``
  (``canonical,synonym`` rows: Chinese names, national pinyin codes such as xfrq/xfxs/nrfldm,
  12345-hotline names such as 工单编号/留言时间). Analysts may edit that file or pass
  ``synonyms={"来访人员": "petitioner"}`` / ``{"petitioner": ["来访人员"]}`` / a CSV path.
  Flag columns 办结标志 (bjbz), 重复信访标志 (cfxfbz), 积案标志 (jabz) and 是否延期 become the
  boolean columns ``closed_flag``, ``repeat_flag``, ``backlog_flag``, ``extended_flag`` (always
  present, NA when the ledger has no such column). Columns that map to nothing are kept under
  their normalised header text.
* Header matching is scored (``_match``): hand-made entries (``mapping=``, 人工指定), exact
  synonyms (同义词), then approximate matches (近似: a synonym inside the header, rapidfuzz
  similarity, cue words of ``data/header_cues.csv``) at 80 points or more. Two headers matching
  one column: the better score wins, the other is kept under its own name with an issue.
  ``LoadResult.columns`` lists every header of every sheet read with its column, how and score;
  ``summary()`` lists the unmapped and approximate ones and warns when a sheet lacks a column
  other sheets have. ``mapping=`` takes a dict, a CSV or a YAML file with layout profiles
  (:func:`save_profile`), reused for later ledgers with the same header row.
* Columns are also read by what they hold (``_values``): a sample of each column (100 cells;
  rows that are no case whatever the header says, a template's hint row, totals, notes, left out)
  gets a value profile (shares of dates and date-times, ID numbers, phones, yes/no words,
  numbers, codes, names, channel/level/satisfaction/status/category words, text length,
  distinct share), shown as ``evidence`` in ``LoadResult.columns`` (e.g. "98% 日期时间"). Each
  canonical column declares the profile it expects (``schema.COLUMN_SPEC`` ``expects``): a
  header match whose values contradict it is demoted (kept under its own name, with an issue
  naming both), and of two headers competing for a column the one whose values fit wins. A sheet
  whose headers are unknown or foreign (English field names), or that has no header row (a 续表,
  a CSV saved without one: the first row looks like the rest), is mapped from values alone
  (how = 按内容, with a score and one issue per sheet); every row of a sheet without a header
  row is a case. A sheet lacking a date, summary, ID or phone column gets them proposed from the
  values of its unknown columns. The MappingEditor confirms or corrects such mappings and saves
  a layout profile as for any other; a sheet without a header row has its profile keyed on its
  shape (``_shape``: the number of columns and what each holds), applied again to later files
  of the same shape.
* Placeholders (``data/placeholders.csv``: 市民, 匿名, 无, 不详, 某先生/某女士, XX, 群众, ids of
  zeros, the phone 12345 ...) stay as written, are counted once per sheet and column in an
  issue, and give no person key (``privacy.person_keys``).
* Rows under the header with none of date, summary, person, ID or case number (a template's
  hint row: 日期选择, 必填, 有下拉框选择 ...) are excluded with a reason; every non-empty row of a
  sheet that cannot be read is excluded too, named by its number only (its cells may be names,
  phones, ID numbers; messages about such sheets never quote them).
* A sheet that records visits (headers 来访时间/来访人数/接访..., or a title 来访登记) and has no
  信访形式 gets channel 来访 in its empty cells, reported once per sheet. Accounts (留言用户,
  网民编号 ...) become ``account_id``. A date with a time of day keeps the time in
  ``received_time``; a received date after ``today`` or after the sheet's year is reported.
  Import-template instruction and example rows (标红色的为必填项…, 示例) are excluded.
* Rows: a value merged over several body rows fills each of them; title lines, header rows,
  section rows (二、往年积案), totals (合计/小计/总计), signature and note lines (填表人, 审核人,
  注:), repeated headers and lines with only a 序号 go to ``excluded`` with a reason; blank rows
  are skipped. Invariant: every non-empty row is a case or an excluded row.
* Cells are normalised by :mod:`xinfang_toolkit.clean`; every cell a person should look at is
  listed in ``issues``. Dates without a year (3月5日) take ``year=``, else a year in the sheet's
  title rows, else in the sheet name, else in the file name.
* The same case read from two files (or sheets) is kept once, with an issue naming both places;
  two different rows with the same case number are both kept and reported.
* A sheet that cannot be read is reported in ``issues`` (column ``""``); :class:`LoadError` is
  raised only if nothing at all could be read, or a path is missing.
* ``LoadResult.summary()`` is a short Chinese account (counts only); ``LoadResult.masked()`` is
  a copy with personal data masked, for display and export; ``LoadResult.sources`` lists every
  sheet looked at (header rows, inferred year, the period its title names with where it was
  found, cases, status): :func:`period_from_text` is the one reading of a period (2026年9月,
  2026年1-9月, 2026-09, 202609 -> the month's last day; 截至2026年9月20日 -> that day), for the
  title rows, then the sheet name, then the file name; the archive dates a ledger by it.
"""

from ._activities import (
    ACTIVITY_COLUMNS,
    ACTIVITY_KINDS,
    ActivityResult,
    load_activities,
    normalize_activity_kind,
)
from ._cases import load_cases
from ._period import period_from_text
from ._profile import save_profile
from ._read import LoadError, find_files, is_own_output
from ._result import COLUMN_TABLE, LoadResult, mapping_table

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_KINDS",
    "ActivityResult",
    "load_activities",
    "normalize_activity_kind",
    "load_cases",
    "LoadResult",
    "LoadError",
    "save_profile",
    "mapping_table",
    "COLUMN_TABLE",
    "find_files",
    "is_own_output",
    "period_from_text",
]
