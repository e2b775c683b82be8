"""Home Office *Police use of force statistics, England and Wales* data tables, read as published.

One ODS file per annual edition (financial years April to March, from 2017/18). Each edition is
placed by its own content: the publication title on its Contents or cover sheet ("... 1 April
2019 to 31 March 2020") gives the financial year it reports, and each table is found by the title
in its first rows ("Table 12. Incidents by police force"), never by sheet position, and its
header row by the header text. Tables read:

- Table 12, incidents by force (``Region | Police force | Total``);
- Table 13, CED (Taser) use by type and force: one year without a ``Financial year`` column in the
  2017/18 edition, cumulative over the years published so far with that column from 2018/19 on
  (later editions revise earlier years; ``(R)`` marks a revised force). The 2017/18 edition's
  Tables 14 and 15 (CED for January to March 2017 and calendar 2016) are legacy and not read;
- Table 1, whose total incidents must equal Table 12's: a separate ``Total number of incidents``
  row in 2017/18, the ``Total Tactics`` row of the ``Number of incidents involving tactic`` column
  from 2018/19 on;
- Table 4, incidents by officer-perceived ethnicity, England and Wales only;
- Table 16, tactics by force and officer-perceived ethnicity (from 2018/19; the 2017/18 edition
  has no by-force tables of age, gender or ethnicity).

Labels are cleaned (``*`` and ``(R)`` markers, line breaks, stray spaces, footnote digits stuck
to a label, ``&`` for "and") and mapped with one map per edition (:data:`EDITION_LABELS`); a
label outside the map is refused, not guessed. ``:`` is "not available" (``pd.NA``). Any other
problem (a table, sheet or header missing or renamed, a bad number, a force that cannot be
placed, figures that do not add up to the published England and Wales total) raises
:class:`~peelstats.errors.InputFileError` naming the file, sheet, row (the spreadsheet's own,
1-based) and column. Nothing is written.

Modules: :mod:`.labels` (constants, label cleaning, the per-edition maps, financial years),
:mod:`.editions` (the workbook, recognising an edition, locating its tables), :mod:`.tables`
(reading each table; one edition) and :mod:`.combine` (every edition, the latest winning).
"""

from peelstats.data.use_of_force.combine import UseOfForceTables, read_use_of_force
from peelstats.data.use_of_force.labels import (
    CED_MEASURES,
    EDITION_LABELS,
    FIRST_YEAR,
    GROUP_ORDER,
    NATIONAL_MEASURES,
    NOT_STATED,
    TACTICS,
    EditionLabels,
    clean_label,
    force_id,
    labels_for,
)
from peelstats.data.use_of_force.tables import (
    CED_COLUMNS,
    EDITION_COLUMNS,
    INCIDENT_COLUMNS,
    NATIONAL_COLUMNS,
    NATIONAL_GROUP_COLUMNS,
    TACTIC_COLUMNS,
    Edition,
    read_edition,
)

__all__ = [
    "CED_COLUMNS",
    "CED_MEASURES",
    "EDITION_COLUMNS",
    "EDITION_LABELS",
    "FIRST_YEAR",
    "GROUP_ORDER",
    "INCIDENT_COLUMNS",
    "NATIONAL_COLUMNS",
    "NATIONAL_GROUP_COLUMNS",
    "NATIONAL_MEASURES",
    "NOT_STATED",
    "TACTICS",
    "TACTIC_COLUMNS",
    "Edition",
    "EditionLabels",
    "UseOfForceTables",
    "clean_label",
    "force_id",
    "labels_for",
    "read_edition",
    "read_use_of_force",
]
