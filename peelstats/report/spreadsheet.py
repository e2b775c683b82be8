"""estimates.xlsx: every figure of a report in a workbook an analyst can paste from.

- An **About** sheet first: what the workbook holds, the force, period, confidence level,
  sources and licence.
- One sheet per section (from ``tables/<section>.csv``, in the registry's order), with a force
  and a period column, a **Unit** column, and each estimate formatted in its unit: percents as
  percents, differences of percents in percentage points, percent changes, rates per 1,000,
  ratios and counts; p-values as a reader writes them ("<0.001"); notes in words, not codes.
- A **Trends** sheet (the monthly and quarterly trend tests) and a **Funnel plots** sheet (where
  the force sits on each funnel, the limits at its size and the spread between forces), from the
  report's saved results.

Text from data can never run as a formula: a cell that starts with =, +, -, @ or a control
character is stored as text, quote-prefixed. The workbook's properties carry the paper's date,
not the time it was written, so the same report writes the same workbook.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path

import pandas as pd

from peelstats.analysis.schema import read_estimates
from peelstats.data.safe_csv import spreadsheet_value
from peelstats.files import atomic_write
from peelstats.report.wording import cells, sheets
from peelstats.report.wording.common import capitalise
from peelstats.report.wording.numbers import conf
from peelstats.vocabulary import measure_unit

#: how each unit's estimate, limits (and scale) are written
_FORMATS = {
    "count": ("#,##0", 1.0),
    "rate_per_1000": ("0.00", 1.0),
    "ratio": ("0.00", 1.0),
    "odds_ratio": ("0.00", 1.0),
    "proportion": ("0.0%", 1.0),
    "percentage_points": ("+0.0;-0.0;0.0", 100.0),
    "percent_change": ("+0.0;-0.0;0.0", 1.0),
}
_NUMBERS = ("numerator", "denominator", "estimate", "lower", "upper", "confidence", "p_value",
            "months_with_data", "months_in_period")  # fmt: skip


def _append(sheet, values) -> None:
    """Append a row whose text cells follow the one safe-cell rule of every CSV and spreadsheet
    (:func:`peelstats.data.safe_csv.spreadsheet_value`) and are stored as text: openpyxl would
    otherwise store a text starting with ``=`` as a live formula."""
    sheet.append([spreadsheet_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _number(value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _section_sheet(book, title: str, frame: pd.DataFrame, force_name: str, period_words: str):
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    keys = list(sheets.COLUMNS)
    _append(sheet, [sheets.COLUMNS[k] for k in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for _, row in frame.iterrows():
        unit = measure_unit(str(row["measure"]))
        number_format, scale = _FORMATS[unit]
        values = {
            "force": force_name,
            "period_words": period_words,
            "unit": sheets.UNIT_WORDS[unit],
            "notes": cells.flag_notes(str(row["flags"]) if pd.notna(row["flags"]) else ""),
            "p_value": None,
        }
        for key in ("measure", "group", "period_start", "period_end", "method"):
            values[key] = "" if pd.isna(row[key]) else str(row[key])
        for key in ("numerator", "denominator", "confidence", "months_with_data",
                    "months_in_period"):  # fmt: skip
            values[key] = _number(None if pd.isna(row[key]) else float(row[key]))
        for key in ("estimate", "lower", "upper"):
            v = None if pd.isna(row[key]) else float(row[key]) * scale
            values[key] = _number(v)
        if pd.notna(row["p_value"]):
            values["p_value"] = cells.fmt_p(float(row["p_value"]))
        _append(sheet, [values[k] for k in keys])
        r = sheet.max_row
        for key in ("estimate", "lower", "upper"):
            sheet.cell(r, keys.index(key) + 1).number_format = number_format
        sheet.cell(r, keys.index("confidence") + 1).number_format = "0.0%"
        for key in ("numerator", "denominator"):
            sheet.cell(r, keys.index(key) + 1).number_format = "#,##0.##"
    _widths(sheet, {"method": 40, "notes": 40, "group": 22, "measure": 30}, keys)


def _widths(sheet, wide: dict, keys) -> None:
    from openpyxl.utils import get_column_letter

    for i, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = wide.get(key, 14)


def _trend_rows(results: dict) -> list[list]:
    from peelstats.report.wording.stop_search import trend_verdict_words

    rows = []
    ss = results.get("stop_search")
    if ss is not None and ss.trend is not None and ss.trend.estimate is not None:
        t = ss.trend
        rows.append(["Stop and search", "Searches a month", len(t.coverage.present), t.estimate,
                     t.lower, t.upper, t.confidence, cells.fmt_p(t.p_value),
                     cells.fmt_p(t.kendall_p_value), trend_verdict_words(t)])  # fmt: skip
    q = results.get("quarters")
    if q is not None and q.trend is not None and q.trend.percent_per_quarter is not None:
        t = q.trend
        verdict = "statistically significant" if t.significant else "no significant trend"
        rows.append(["Quarter by quarter", "Searches a quarter", t.quarters_used,
                     t.percent_per_quarter, t.lower, t.upper, t.confidence,
                     cells.fmt_p(t.p_value), cells.fmt_p(t.kendall_p_value), verdict])  # fmt: skip
    return rows


def _funnel_rows(results: dict) -> list[list]:
    from peelstats.report.wording.funnels import funnel_position_words, funnel_what

    funnels = []
    ss = results.get("stop_search")
    if ss is not None:
        funnels += list(ss.funnels)
    o = results.get("outcomes")
    if o is not None and getattr(o, "charge_funnel", None) is not None:
        funnels.append(o.charge_funnel)
    rows = []
    for f in funnels:
        percent = f.kind == "proportion"
        scale = 100.0 if percent else 1.0

        def v(x, scale=scale):
            return None if x is None else x * scale

        rows.append([
            capitalise(funnel_what(f)) + (" (percent)" if percent else ""), f.units, v(f.value),
            v(f.target), funnel_position_words(f), v(f.limit_low), v(f.limit_high),
            v(f.spread_low), v(f.spread_high),
            None if f.tau2 is None else math.sqrt(f.tau2), f.scale,
        ])  # fmt: skip
    return rows


def write_xlsx(
    tables: Path, target: Path, *, force_name: str, period_words: str, results: dict,
    confidence: float, created: datetime | None = None, author: str = "",
) -> Path:  # fmt: skip
    """estimates.xlsx (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from peelstats.report.sections import all_sections

    book = Workbook()
    book.remove(book.active)
    about = book.create_sheet(sheets.ABOUT)
    written = []
    for section in all_sections():
        path = tables / f"{section.name}.csv"
        if not path.is_file():
            continue
        frame = read_estimates(path, keep_default_na=False,
                               na_values={c: [""] for c in _NUMBERS})  # fmt: skip
        if frame.empty:
            continue
        _section_sheet(book, section.sheet, frame, force_name, period_words)
        written.append(section.sheet)
    for title, header, rows in ((sheets.TRENDS, sheets.TREND_COLUMNS, _trend_rows(results)),
                                (sheets.FUNNELS, sheets.FUNNEL_COLUMNS,
                                 _funnel_rows(results))):  # fmt: skip
        if not rows:
            continue
        sheet = book.create_sheet(title)
        _append(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            _append(sheet, row)
        _widths(sheet, {0: 30}, range(len(header)))
        sheet.column_dimensions["A"].width = 34
        written.append(title)
    for label, text in sheets.about_rows(force_name, period_words, conf(confidence), written):
        _append(about, [label, text])
        about.cell(about.max_row, 1).font = Font(bold=True)
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 110
    book.properties.title = f"{force_name}: estimates, {period_words}"
    book.properties.creator = author or ""
    stamp = created or datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(target, buffer.getvalue())
    return target
