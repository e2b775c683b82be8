"""Reading each table of one edition (Tables 1, 4, 12, 13 and 16) into rows, with every check a
table's own totals allow, and :func:`read_edition`, which reads one edition whole."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from peelstats.data.forces import get_force
from peelstats.data.inputs import read_input_bytes
from peelstats.data.use_of_force.editions import (
    T1,
    T4,
    T12,
    T13,
    T16,
    Role,
    Sheet,
    blank,
    edition_year,
    locate,
    need,
    open_workbook,
    read_sheet,
    title_of,
)
from peelstats.data.use_of_force.labels import (
    CED_MEASURES,
    EW,
    EXPECTED_FILE,
    GROUP_ORDER,
    MAX_FILE_BYTES,
    NATIONAL_MEASURES,
    SPACE,
    TACTICS,
    EditionLabels,
    clean_label,
    financial_year_of,
    fold,
    force_id,
    force_names,
    is_national,
    is_total,
    labels_for,
    period_years,
)

INCIDENT_COLUMNS = ["force", "financial_year", "incidents", "edition", "source_sheet"]
CED_COLUMNS = [
    "force",
    "financial_year",
    "measure",
    "count",
    "revised",
    "summary_only",
    "edition",
    "source_sheet",
]
TACTIC_COLUMNS = [
    "force",
    "financial_year",
    "tactic",
    "group",
    "tactics",
    "edition",
    "source_sheet",
]
NATIONAL_GROUP_COLUMNS = ["financial_year", "group", "incidents", "edition", "source_sheet"]
NATIONAL_COLUMNS = ["financial_year", "measure", "count", "edition", "source_sheet"]
EDITION_COLUMNS = ["file", "financial_year", "sha256", "ced_summary_only_forces"]


@dataclass(frozen=True)
class Edition:
    """One edition's tables (schemas as :class:`UseOfForceTables`) and where they came from."""

    file: str
    financial_year: str
    sha256: str
    incidents: pd.DataFrame
    ced: pd.DataFrame
    tactics_by_ethnicity: pd.DataFrame
    national_incidents_by_ethnicity: pd.DataFrame
    england_and_wales: pd.DataFrame
    #: Forces the edition's notes say supplied summary CED data only (None: not said).
    ced_summary_only_forces: int | None
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- the tables


def _place_force(sheet: Sheet, row: int, col: int, column: str) -> tuple[str | None, bool]:
    """(force id, revised) of a data row; (None, _) for a regional subtotal; E&W as EW."""
    value = sheet.cell(row, col)
    if blank(value):
        raise sheet.error("no force named", row=row + 1, column=column, expected="a police force")
    label, revised = clean_label(value)
    if is_national(label):
        return EW, revised
    if is_total(label):
        return None, revised
    found = force_id(label)
    if found is None:
        raise sheet.error(
            f"unknown force {label!r}",
            row=row + 1,
            column=column,
            expected="one of the 43 forces of England and Wales, or British Transport Police",
        )
    return found, revised


def _check_sum(sheet: Sheet, row: int, column: str, total, parts: list, what: str) -> None:
    """The England and Wales figure must be the sum of the forces' (with or without BTP)."""
    values = [v for _, v in parts]
    if total is pd.NA or any(v is pd.NA for v in values):
        return
    territorial = sum(v for f, v in parts if f != "btp")
    if total not in (sum(values), territorial):
        raise sheet.error(
            f"England and Wales {what} {total:,} is not the sum of the forces' ({sum(values):,})",
            row=row + 1,
            column=column,
            expected="the published total to equal the sum of the forces' figures",
        )


def _read_incidents(sheet: Sheet, year: str, edition: str) -> tuple[list, list, int]:
    """Table 12: rows per force, the England and Wales row, and that total."""
    head, at, _ = sheet.header("Police force", ["Police force", "Total"])
    forces: dict[str, tuple[int, object]] = {}
    national = None
    for row in sheet.body(head + 1):
        force, _ = _place_force(sheet, row, at["Police force"], "Police force")
        if force is None:
            continue
        value = sheet.count(row, at["Total"], "Total")
        if force == EW:
            national = (row, value)
        elif force in forces:
            raise sheet.error(
                f"{force} appears twice (first at row {forces[force][0] + 1})",
                row=row + 1,
                column="Police force",
                expected="one row per force",
            )
        else:
            forces[force] = (row, value)
    if not forces:
        raise sheet.error("no force rows", row=head + 2, expected="one row per force")
    if national is None:
        raise sheet.error("no England and Wales row", expected="a 'Total England and Wales' row")
    _check_sum(
        sheet,
        national[0],
        "Total",
        national[1],
        [(f, v) for f, (_, v) in forces.items()],
        "incidents",
    )
    rows = [[f, year, v, edition, sheet.name] for f, (_, v) in forces.items()]
    ew = [[year, "incidents", national[1], edition, sheet.name]]
    return rows, ew, national[1]


def _read_total_incidents(sheet: Sheet, labels: EditionLabels) -> tuple[int, object]:
    """Table 1's total incidents (row, value)."""
    wanted = fold(labels.incidents_row)
    row = next(
        (r for r in range(len(sheet.rows)) if wanted in {fold(v) for v in sheet.rows[r]}), None
    )
    if row is None:
        raise sheet.error(
            f"no {labels.incidents_row!r} row",
            expected=f"a row labelled {labels.incidents_row!r} giving the total incidents",
        )
    if labels.incidents_column is None:
        cols = [c for c, v in enumerate(sheet.rows[row]) if not blank(v) and fold(v) != wanted]
        if len(cols) != 1:
            raise sheet.error(
                "no single total",
                row=row + 1,
                column=labels.incidents_row,
                expected="one number: the total incidents",
            )
        return row, sheet.count(row, cols[0], labels.incidents_row)
    header = sheet.find_row([labels.incidents_column], range(row))
    if header is None:
        raise sheet.error(
            "header not found",
            column=labels.incidents_column,
            expected=f"a column {labels.incidents_column!r} above the {labels.incidents_row!r} row",
        )
    col = sheet.columns(header)[fold(labels.incidents_column)]
    return row, sheet.count(row, col, labels.incidents_column)


def _group_columns(sheet: Sheet, row: int, first: int, labels: EditionLabels) -> dict[str, int]:
    """Published group label -> column in a header row, every label checked against the map."""
    known = {fold(k): k for k in labels.ethnic_groups}
    totals = {"total", "total number of incidents", "number of times tactic reported"}
    totals |= {"total incidents per tactic", "number of incidents"}
    found: dict[str, int] = {}
    for col in range(first, len(sheet.rows[row])):
        value = sheet.cell(row, col)
        if blank(value):
            continue
        key = fold(value)
        if key in known:
            found[known[key]] = col
        elif key not in totals:
            raise sheet.error(
                f"unknown ethnic group {clean_label(value)[0]!r}",
                row=row + 1,
                column=clean_label(value)[0],
                expected="the groups of this edition: " + ", ".join(labels.ethnic_groups),
            )
    for label in labels.ethnic_groups:
        if label not in found:
            raise sheet.error(
                "ethnic group column not found",
                row=row + 1,
                column=label,
                expected="the groups of this edition: " + ", ".join(labels.ethnic_groups),
            )
    return found


def _by_group(sheet: Sheet, row: int, columns: dict[str, int], labels: EditionLabels) -> dict:
    """Counts in one row summed to peelstats groups (NA if any part is NA)."""
    out: dict[str, object] = {}
    for label, col in columns.items():
        group = labels.ethnic_groups[label]
        value = sheet.count(row, col, label)
        if group in out:
            out[group] = pd.NA if out[group] is pd.NA or value is pd.NA else out[group] + value
        else:
            out[group] = value
    return {g: out[g] for g in GROUP_ORDER if g in out}


def _read_national_groups(
    sheet: Sheet, labels: EditionLabels, year: str, edition: str, total: object
) -> list:
    """Table 4: incidents by perceived ethnicity, England and Wales."""
    anchor = next(iter(labels.ethnic_groups))
    head = sheet.find_row(labels.ethnic_groups, range(min(20, len(sheet.rows))))
    if head is None:
        head = sheet.find_row([anchor], range(min(20, len(sheet.rows))))
    if head is None:
        raise sheet.error(
            "no header row of ethnic groups",
            expected="a header row " + " | ".join(labels.ethnic_groups),
        )
    first = min(c for c, v in enumerate(sheet.rows[head]) if fold(v) == fold(anchor))
    columns = _group_columns(sheet, head, first, labels)
    row = next(
        (
            r
            for r in range(head + 1, min(head + 4, len(sheet.rows)))
            if all(not blank(sheet.cell(r, c)) for c in columns.values())
        ),
        None,
    )
    if row is None:
        raise sheet.error(
            "no row of incidents by group below the header",
            row=head + 2,
            expected="the total number of incidents involving each group",
        )
    label = " ".join(sheet.text(row, c) for c in range(first)).strip()
    if label and not fold(label).startswith("total number of incidents"):
        raise sheet.error(
            f"{label!r} is not the incidents by group row",
            row=row + 1,
            expected="'Total number of incidents involving group' (or no label)",
        )
    groups = _by_group(sheet, row, columns, labels)
    last = max(columns.values())
    extra = [c for c in range(last + 1, len(sheet.rows[row])) if not blank(sheet.cell(row, c))]
    values = list(groups.values())
    if len(extra) > 1:
        raise sheet.error(
            "more than one total", row=row + 1, expected="the groups' incidents and one total"
        )
    if not any(v is pd.NA for v in values):
        published = [("Total number of incidents", extra[0])] if extra else []
        for column, col in published:
            stated = sheet.count(row, col, column)
            if stated is not pd.NA and stated != sum(values):
                raise sheet.error(
                    f"the groups sum to {sum(values):,}, not the stated {stated:,}",
                    row=row + 1,
                    column=column,
                    expected="the published total to equal the sum of the groups",
                )
        if total is not pd.NA and total != sum(values):
            raise sheet.error(
                f"the groups sum to {sum(values):,}, not the {total:,} incidents of Table 12",
                row=row + 1,
                expected="incidents by group to add up to the total incidents",
            )
    return [[year, g, n, edition, sheet.name] for g, n in groups.items()]


def _read_ced(sheet: Sheet, labels: EditionLabels, year: str, edition: str) -> tuple:
    """Table 13: CED uses, discharges and not stated by force and year; England and Wales."""
    cols = labels.ced_columns
    head, at, every = sheet.header("Police force", ["Police force", *cols.values()])
    fy_col = every.get(fold("Financial year"))
    title_years = period_years(sheet.title)
    if fy_col is None and (title_years is None or len(title_years) != 1):
        raise sheet.error(
            "no 'Financial year' column and the title names no single financial year",
            row=sheet.title_row + 1,
            expected="a 'Financial year' column, or a title such as '... 1 April 2017 to 31 "
            "March 2018'",
        )
    rows, ew, seen = [], [], {}
    parts: dict[str, list] = {}
    national: dict[str, tuple[int, dict]] = {}
    current_year = None
    for row in sheet.body(head + 1):
        if fy_col is not None:
            cell = sheet.cell(row, fy_col)
            if not blank(cell):
                current_year = financial_year_of(cell)
                if current_year is None or int(current_year[:4]) > int(year[:4]):
                    raise sheet.error(
                        f"{clean_label(cell)[0]!r} is not a financial year of this edition",
                        row=row + 1,
                        column="Financial year",
                        expected=f"a year such as 2017/18, up to {year}",
                    )
            if current_year is None:
                raise sheet.error(
                    "empty cell", row=row + 1, column="Financial year", expected="a year"
                )
            row_year = current_year
        else:
            row_year = title_years[0]
        force, revised = _place_force(sheet, row, at["Police force"], "Police force")
        if force is None:
            continue
        value = {role: sheet.count(row, at[header], header) for role, header in cols.items()}
        _check_ced_row(sheet, row, value, cols)
        if force == EW:
            national[row_year] = (row, value)
            continue
        if (force, row_year) in seen:
            raise sheet.error(
                f"{force} appears twice for {row_year} (first at row {seen[force, row_year]})",
                row=row + 1,
                column="Police force",
                expected="one row per force and year",
            )
        seen[force, row_year] = row + 1
        parts.setdefault(row_year, []).append((force, value))
        for measure in CED_MEASURES:
            rows.append(
                [force, row_year, measure, value[measure], revised, pd.NA, edition, sheet.name]
            )
    if not rows:
        raise sheet.error("no force rows", row=head + 2, expected="one row per force")
    for row_year in parts:
        if row_year not in national:
            raise sheet.error(
                f"no England and Wales row for {row_year}",
                expected="a 'Total England and Wales' row for each year",
            )
        row, value = national[row_year]
        for measure in CED_MEASURES:
            header = cols[measure]
            forces = [(f, v[measure]) for f, v in parts[row_year]]
            _check_sum(sheet, row, header, value[measure], forces, f"CED {header}")
            ew.append([row_year, f"ced_{measure}", value[measure], edition, sheet.name])
    return rows, ew


def _check_ced_row(sheet: Sheet, row: int, value: dict, cols: dict[str, str]) -> None:
    """Discharge = drive stun + fired + angled drive stun; total = the three kinds of use."""
    checks = [
        ("discharges", ["drive_stun", "fired", "angled_drive_stun"]),
        ("uses", ["non_discharge", "discharges", "not_stated"]),
    ]
    for whole, roles in checks:
        if any(value[r] is pd.NA for r in [whole, *roles]):
            continue
        total = sum(value[r] for r in roles)
        if value[whole] != total:
            raise sheet.error(
                f"{value[whole]:,} is not {' + '.join(cols[r] for r in roles)} ({total:,})",
                row=row + 1,
                column=cols[whole],
                expected="the table's own sum",
            )


def _read_tactics(sheet: Sheet, labels: EditionLabels, year: str, edition: str) -> tuple:
    """Table 16: tactics by force and perceived ethnicity, for the tactics in the map.

    Returns the rows and, per force, whether any of its CED rows holds ``:`` (not available
    incident by incident: by level or by ethnicity).
    """
    head = sheet.find_row(["Police force", "Tactic"], range(min(25, len(sheet.rows))))
    if head is None:
        raise sheet.error(
            "no header row with 'Police force' and 'Tactic'",
            expected="a header row Police force | Type of force | Tactic | <groups>",
        )
    at = sheet.columns(head)
    force_col, tactic_col = at[fold("Police force")], at[fold("Tactic")]
    columns = _group_columns(sheet, head, max(force_col, tactic_col) + 1, labels)
    wanted = {fold(label): code for code, label in labels.tactics.items()}
    found: dict[tuple[str, str], int] = {}
    totals: dict[str, dict] = {}
    parts: dict[str, list] = {}
    rows: list = []
    unavailable: dict[str, bool] = {}
    force = None
    for row in sheet.body(head + 1):
        if not blank(sheet.cell(row, force_col)):
            force, _ = _place_force(sheet, row, force_col, "Police force")
        elif force is None:
            _place_force(sheet, row, force_col, "Police force")  # raises: no force named
        code = wanted.get(fold(sheet.cell(row, tactic_col)))
        if code is None or force is None:
            continue
        if (force, code) in found:
            raise sheet.error(
                f"a second {labels.tactics[code]!r} row for {force} (first at row "
                f"{found[force, code]})",
                row=row + 1,
                column="Tactic",
                expected="one row per force and tactic",
            )
        found[force, code] = row + 1
        groups = _by_group(sheet, row, columns, labels)
        if code.startswith("ced") and force != EW:
            marked = any(v is pd.NA for v in groups.values())
            unavailable[force] = unavailable.get(force, False) or marked
        if force == EW:
            totals[code] = {"row": row, "groups": groups}
            continue
        parts.setdefault(code, []).append((force, groups))
        for group, n in groups.items():
            rows.append([force, year, code, group, n, edition, sheet.name])
    forces = {f for f, _ in found if f != EW}
    for code, label in labels.tactics.items():
        for f in sorted(forces):
            if (f, code) not in found:
                raise sheet.error(
                    f"no {label!r} row for {get_force(f).name}",
                    column="Tactic",
                    expected=f"a {label!r} row for every force",
                )
    if not forces:
        raise sheet.error("no force rows", row=head + 2, expected="one block of rows per force")
    if "all" in totals:
        national = totals["all"]
        first = {}
        for label in columns:
            first.setdefault(labels.ethnic_groups[label], label)
        for group, label in first.items():
            _check_sum(
                sheet,
                national["row"],
                label,
                national["groups"][group],
                [(f, g[group]) for f, g in parts["all"]],
                f"{labels.tactics['all']} ({group})",
            )
    return rows, unavailable


# ----------------------------------------------------------------------------- one edition


_SUMMARY_NOTE = re.compile(
    r"(\d+)\s+police\s+forces\s+(?:provided\s+the\s+home\s+office\s+with\s+summary\s+data|"
    r"were\s+not\s+able\s+to\s+provide\s+incident\s+level\s+data)",
    re.IGNORECASE,
)


def _summary_note(sheets: Iterable[Sheet]) -> int | None:
    """How many forces the notes say supplied summary CED data only."""
    for sheet in sheets:
        for values in sheet.rows:
            for value in values:
                if isinstance(value, str):
                    match = _SUMMARY_NOTE.search(SPACE.sub(" ", value))
                    if match:
                        return int(match.group(1))
    return None


def _frame(rows: list, columns: list[str], counts: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    if counts is not None:
        frame[counts] = pd.array(frame[counts].tolist(), dtype="Int64")
    text = {"force", "financial_year", "measure", "tactic", "group", "edition", "source_sheet"}
    for column in text.intersection(columns):
        frame[column] = frame[column].astype("str")
    return frame


def order_rows(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Deterministic row order: by key, groups/measures/tactics in their published order."""
    ranks = {
        "group": {g: i for i, g in enumerate(GROUP_ORDER)},
        "measure": {m: i for i, m in enumerate((*CED_MEASURES, *NATIONAL_MEASURES))},
        "tactic": {t: i for i, t in enumerate(TACTICS)},
    }

    def key(column: pd.Series) -> pd.Series:
        return column.map(ranks[column.name]) if column.name in ranks else column

    return frame.sort_values(keys, key=key, kind="stable").reset_index(drop=True)


def read_edition(path: str | Path) -> Edition:
    """One edition of the Home Office use of force data tables (ODS), placed by its content."""
    path = Path(path)
    name = path.name
    data = read_input_bytes(path, name, expected=EXPECTED_FILE, limit=MAX_FILE_BYTES)
    book = open_workbook(name, data)
    heads = {s: read_sheet(book, name, s, nrows=12) for s in book.sheet_names}
    year = edition_year(name, book, heads)
    labels = labels_for(year)

    def sheet(role: Role, required: bool = True) -> Sheet | None:
        found = need(name, heads, role, year) if required else locate(name, heads, role, year)
        if found is None:
            return None
        out = read_sheet(book, name, found)
        out.title_row, out.title = title_of(out)
        return out

    notes: list[str] = []
    t12 = sheet(T12)
    incidents, national, total = _read_incidents(t12, year, year)
    t1 = sheet(T1)
    row, stated = _read_total_incidents(t1, labels)
    if stated is not pd.NA and total is not pd.NA and stated != total:
        raise t1.error(
            f"{stated:,} incidents, but Table 12 ({t12.name}) gives {total:,}",
            row=row + 1,
            column=labels.incidents_column or labels.incidents_row,
            expected="the same total incidents in both tables",
        )
    t4 = sheet(T4)
    groups = _read_national_groups(t4, labels, year, year, total)
    t13 = sheet(T13)
    ced, ced_national = _read_ced(t13, labels, year, year)
    tactics: list = []
    unavailable: dict[str, bool] = {}
    if labels.tactics:
        t16 = sheet(T16)
        tactics, unavailable = _read_tactics(t16, labels, year, year)
    summary = _summary_note([t13, t1])
    flags = _summary_flags(year, summary, unavailable, notes)
    for row in ced:
        if row[1] == year:
            row[5] = flags.get(row[0], pd.NA)
    ced_frame = _frame(ced, CED_COLUMNS, "count")
    ced_frame["revised"] = ced_frame["revised"].astype(bool)
    ced_frame["summary_only"] = pd.array(ced_frame["summary_only"].tolist(), dtype="boolean")
    return Edition(
        file=name,
        financial_year=year,
        sha256=hashlib.sha256(data).hexdigest(),
        incidents=order_rows(_frame(incidents, INCIDENT_COLUMNS, "incidents"), ["force"]),
        ced=order_rows(ced_frame, ["force", "financial_year", "measure"]),
        tactics_by_ethnicity=order_rows(
            _frame(tactics, TACTIC_COLUMNS, "tactics"), ["force", "tactic", "group"]
        ),
        national_incidents_by_ethnicity=order_rows(
            _frame(groups, NATIONAL_GROUP_COLUMNS, "incidents"), ["group"]
        ),
        england_and_wales=order_rows(
            _frame(national + ced_national, NATIONAL_COLUMNS, "count"),
            ["financial_year", "measure"],
        ),
        ced_summary_only_forces=summary,
        notes=notes,
    )


# ----------------------------------------------------------------------------- summary CED data


def _summary_flags(
    year: str, summary: int | None, unavailable: dict[str, bool], notes: list[str]
) -> dict[str, bool]:
    """summary_only per force for the edition's own year, where the tables say.

    Table 16 marks a force's CED rows ``:`` where its CED data are not available incident by
    incident. Those forces are flagged; the others are flagged False only when the marked forces
    are as many as the notes say supplied summary data (else they are not known: NA).
    """
    marked = {f for f, m in unavailable.items() if m}
    if summary is None:
        return dict.fromkeys(marked, True)
    if len(marked) == summary:
        return {f: f in marked for f in unavailable}
    notes.append(
        f"The {year} edition says {summary} forces supplied summary CED data only"
        + (
            f"; its Table 16 marks {len(marked)} ({force_names(marked)})."
            if marked
            else ", without naming them."
        )
    )
    return dict.fromkeys(marked, True)
