"""The domain vocabulary, defined once: ethnic groups, ethnicity definitions, the default
confidence level, notebook parameters, section names, measures, flags, caveat codes, reporting
periods and month coverage.

Everything here is a code or a short label; sentences are written by
:mod:`peelstats.report.wording` alone. A :class:`Period` is parsed once (from ``"2021Q3"``) and
passed around; a :class:`Coverage` says which months of a window a figure covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peelstats.errors import ParameterError

if TYPE_CHECKING:  # pandas is imported where it is used, so the command line starts quickly
    import pandas as pd

# ----------------------------------------------------------------------------- ethnic groups

#: The five self-defined (Census 2021) and officer-defined groups, in report order.
GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "White", "Other")
#: Every comparison between groups is against this group, as the Home Office does.
REFERENCE_GROUP = "White"
#: Searches whose ethnicity was not recorded.
UNKNOWN = "Unknown"
#: The row for every search or every resident.
ALL = "all"
#: Groups compared with the reference group, in report order (Black first, as Panels ask).
COMPARED_GROUPS: tuple[str, ...] = ("Black", "Asian", "Mixed", "Other")

#: Ethnicity definitions: the code used in parameters, and its label.
DEFINITIONS: dict[str, str] = {"self": "self-defined", "officer": "officer-defined"}
DEFAULT_DEFINITION = "self"

# ----------------------------------------------------------------------------- confidence

#: The confidence level of every interval unless a run asks for another; the inspectorate's
#: published "+/-" margins are at this level too.
DEFAULT_CONFIDENCE = 0.95


def check_confidence(value: object, name: str = "confidence") -> float:
    """``value`` as a float strictly between 0 and 1, else ParameterError naming ``name`` (and
    suggesting the fraction when a percentage such as 95 or '95%' was given)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ok and 0 < float(value) < 1:
        return float(value)
    shown, number = repr(value), float(value) if ok else None
    if ok:
        shown = f"{float(value):g}"
    elif isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = float(value.strip()[:-1])
        except ValueError:
            number = None
    hint = ""
    if number is not None and 50 <= number < 100:  # a level given as a percentage
        hint = f" (for {number:g}% give {number / 100:g})"
    raise ParameterError(
        f"{name} must be between 0 and 1 (exclusive), such as 0.95, not {shown}{hint}"
    )


# ----------------------------------------------------------------------------- parameters

#: Every notebook parameter a run may pass, with its default (None: required, or not set).
#: A notebook declares the ones it uses in its ``parameters`` cell (papermill reads them with
#: ``inspect_notebook``); a run passes each notebook only the ones it declares.
PARAMETERS: dict[str, object] = {
    "force": None,
    "period": None,
    "confidence": DEFAULT_CONFIDENCE,
    "ethnicity_definition": DEFAULT_DEFINITION,
    "chart_renderer": "svg",
    "data_source": "default",
    "output_dir": None,
    "all_forces_path": None,
}
#: Chart renderers a notebook may ask for ('svg': rendered offline as images).
RENDERERS = ("html", "svg")

# ----------------------------------------------------------------------------- sections

#: The sections of a report, in report order: each is saved as ``results/<name>.json`` and
#: ``tables/<name>.csv`` and has a sheet in ``estimates.xlsx``.
SECTIONS: tuple[str, ...] = (
    "stop_search",
    "quarters",
    "search_detail",
    "reasonable_grounds",
    "crime_data_integrity",
    "published_figures",
    "published_outcomes",
    "outcomes",
    "use_of_force",
)

# ----------------------------------------------------------------------------- measures


#: the unit of a measure's estimate in tables/estimates.csv
UNITS = (
    "count",
    "rate_per_1000",
    "ratio",
    "odds_ratio",
    "proportion",
    "percentage_points",
    "percent_change",
)
_PERCENT_CHANGES = ("searches_change_vs_previous_year_percent", "use_of_force_change",
                    "ced_uses_change")  # fmt: skip
_COUNTS = ("searches", "searches_in_quarter", "use_of_force_incidents", "ced_uses",
           "ced_discharges", "use_of_force_tactics",
           "use_of_force_incidents_england_and_wales")  # fmt: skip


def measure_unit(measure: str) -> str:
    """The unit of a measure's estimate (one of :data:`UNITS`): proportions are 0 to 1,
    differences of proportions are in percentage points once multiplied by 100, percent changes
    are already in percent."""
    name = measure.removeprefix("published_")
    if name in _PERCENT_CHANGES:
        return "percent_change"
    if name in _COUNTS:
        return "count"
    if "difference" in name or name.endswith("_change") or "_change_vs_" in name:
        return "percentage_points"
    if "adjusted_vs_white" in name:
        return "odds_ratio"
    if "ratio" in name:
        return "ratio"
    if "per_1000" in name or name in ("use_of_force_rate", "use_of_force_tactics_rate"):
        return "rate_per_1000"
    return "proportion"


# ----------------------------------------------------------------------------- flags

#: Every flag of ``tables/estimates.csv`` (its words are ``peelstats.report.wording.cells``).
FLAGS: tuple[str, ...] = (
    "small_numbers",
    "incomplete_period",
    "part_year",
    "repaired_months",
    "matched_months_only",
    "ethnicity_not_recorded",
    "officer_group_not_used",
    "linked_not_recorded",
    "linked_lower_bound",
    "officer_defined_vs_census",
    "residents_unrepresentative",
    "no_resident_population",
    "implied_sample_size",
    "count_implied",
    "assumed_sample_size",
    "as_published",
    "published_confidence",
    "no_interval",
    "not_comparable",
    "comparability_unknown",
    "earlier_size_unknown",
    "improvement",
    "deterioration",
    "no_significant_change",
    "higher_than_rest",
    "lower_than_rest",
    "higher_than_forces",
    "lower_than_forces",
    "higher_than_england_and_wales",
    "lower_than_england_and_wales",
    "not_recorded",
    "part_quarter",
    "no_data",
    "strip_partly_recorded",
    "unknown_ethnicity_allocated",
    "recording_change",
    "design_effect",
    "ced_summary_only",
)


# ----------------------------------------------------------------------------- caveats


class Caveats:
    """Caveat codes (a result carries the code and its numbers; the wording writes the
    sentence). Named here so that a search for a code finds every place it is made and read."""

    NO_DATA = "no_data"
    MONTHS_MISSING = "months_missing"
    MONTHS_REPAIRED = "months_repaired"
    OFFICER_DEFINED_VS_CENSUS = "officer_defined_vs_census"
    OFFICER_GROUP_NOT_USED = "officer_group_not_used"
    NO_RESIDENT_POPULATION = "no_resident_population"
    RESIDENTS_UNREPRESENTATIVE = "residents_unrepresentative"
    ETHNICITY_SOME_UNRECORDED = "ethnicity_some_unrecorded"
    ETHNICITY_PARTLY_RECORDED = "ethnicity_partly_recorded"
    ETHNICITY_NOT_RECORDED = "ethnicity_not_recorded"
    LINKED_LOWER_BOUND = "linked_lower_bound"
    LINKED_NOT_RECORDED = "linked_not_recorded"
    SMALL_SAMPLE = "small_sample"
    AGE_SEX_NOT_STANDARDISED = "age_sex_not_standardised"
    STRIP_NOT_RECORDED = "strip_not_recorded"
    STRIP_PARTLY_RECORDED = "strip_partly_recorded"
    # use of force
    NO_USE_OF_FORCE_TABLES = "no_use_of_force_tables"
    USE_OF_FORCE_NOT_PUBLISHED = "use_of_force_not_published"
    USE_OF_FORCE_NO_YEAR = "use_of_force_no_year"
    USE_OF_FORCE_OLDER_YEAR = "use_of_force_older_year"
    RECORDING_CHANGE = "recording_change"
    TACTICS_NOT_PEOPLE = "tactics_not_people"
    TACTICS_NOT_PUBLISHED = "tactics_not_published"
    OFFICER_PERCEIVED_VS_CENSUS = "officer_perceived_vs_census"
    CED_SUMMARY_ONLY = "ced_summary_only"
    CED_LEVEL_NOT_STATED = "ced_level_not_stated"

    #: the caveat for a field's recording status ('partly_recorded', 'not_recorded',
    #: 'lower_bound'), by field
    ETHNICITY_STATUS = {
        "partly_recorded": ETHNICITY_PARTLY_RECORDED,
        "not_recorded": ETHNICITY_NOT_RECORDED,
    }
    LINKED_STATUS = {"lower_bound": LINKED_LOWER_BOUND, "not_recorded": LINKED_NOT_RECORDED}


# ----------------------------------------------------------------------------- methods


class Methods:
    """Method codes of figures (``Figure.method``; the numbers a method's words need are in
    ``Figure.method_args``). The words are :mod:`peelstats.report.wording.methods`'."""

    COUNT = "count"
    COUNT_POISSON = "count_poisson"
    RATE_POISSON = "rate_poisson"
    RATE_RATIO = "rate_ratio"
    RATE_RATIO_BOUND = "rate_ratio_bound"
    QUARTER_RATE_RATIO = "quarter_rate_ratio"
    CHANGE_POISSON = "change_poisson"
    PROPORTION = "proportion"
    PROPORTION_FPC = "proportion_fpc"
    SHARE = "share"
    SHARE_RECORDING = "share_recording"
    DIFFERENCE = "difference"
    DIFFERENCE_YEAR = "difference_year"
    DIFFERENCE_AUDITS = "difference_audits"
    ODDS_RATIO_MH = "odds_ratio_mh"
    OUTCOME_RATE = "outcome_rate"
    PUBLISHED_IMPLIED = "published_implied"
    AS_PUBLISHED = "as_published"
    NO_TEST = "no_test"
    # use of force
    USE_OF_FORCE_RATE = "use_of_force_rate"
    SHARE_CHANGE = "share_change"
    TACTICS_COUNT = "tactics_count"
    TACTICS_RATE = "tactics_rate"
    TACTICS_RATIO = "tactics_ratio"
    TACTICS_RATIO_BOUND = "tactics_ratio_bound"


# ----------------------------------------------------------------------------- months

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


def month_period(month: str) -> pd.Period:
    """'2021-08' as a monthly pandas Period (ParameterError if malformed)."""
    match = _MONTH.match(str(month))
    if not match or not 1 <= int(match["month"]) <= 12 or int(match["year"]) < 1:
        raise ParameterError(f"month {month!r} is not a month: expected YYYY-MM, e.g. '2021-08'")
    import pandas as pd

    return pd.Period(year=int(match["year"]), month=int(match["month"]), freq="M")


def month_name(month: str, year: bool = True) -> str:
    """'2021-08' -> 'August 2021' (or 'August')."""
    p = month_period(month)
    return f"{MONTH_NAMES[p.month - 1]} {p.year}" if year else MONTH_NAMES[p.month - 1]


def month_runs(months) -> list[tuple[str, str]]:
    """Consecutive runs of months, e.g. ['2021-04', '2021-05', '2021-09'] ->
    [('2021-04', '2021-05'), ('2021-09', '2021-09')]."""
    ordered = sorted(set(months), key=month_period)
    runs: list[tuple[str, str]] = []
    for month in ordered:
        if runs and month_period(runs[-1][1]) + 1 == month_period(month):
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


@dataclass(frozen=True)
class Coverage:
    """Which months of a window (``expected``) a figure covers (``present``), and which of
    those were repaired (a month published with every record twice, counted once)."""

    expected: tuple[str, ...]
    present: tuple[str, ...]
    repaired: tuple[str, ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        have = set(self.present)
        return tuple(m for m in self.expected if m not in have)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def empty(self) -> bool:
        return not self.present

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.missing and self.present:
            out.append("incomplete_period")
        if self.repaired:
            out.append("repaired_months")
        return tuple(out)


# ----------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"^(?P<year>\d{4})Q(?P<quarter>[1-4])$")


@dataclass(frozen=True)
class Period:
    """The 12 months ending with a quarter (``label`` e.g. '2021Q3': October 2020 to September
    2021), and the 12 months before them, with which the year is compared."""

    label: str
    months: tuple[str, ...]
    previous_months: tuple[str, ...]

    @property
    def start(self) -> str:
        return self.months[0]

    @property
    def end(self) -> str:
        return self.months[-1]

    @property
    def end_date(self) -> tuple[int, str, int]:
        """(day, month name, year) of the period's last day, e.g. (30, 'September', 2021)."""
        end = month_period(self.end)
        return end.days_in_month, MONTH_NAMES[end.month - 1], end.year

    @property
    def previous(self) -> Period:
        """The 12 months before, as a period of its own."""
        end = month_period(self.end) - 12
        return parse_period(f"{end.year}Q{(end.month - 1) // 3 + 1}")


def parse_period(text: str) -> Period:
    """Parse ``"YYYYQn"`` into a :class:`Period`; anything else raises ParameterError."""
    if isinstance(text, Period):
        return text
    match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
    if not match or int(match["year"]) < 2:
        raise ParameterError(
            f"period {text!r} is not a quarter: expected YYYYQn with n from 1 to 4, e.g. '2021Q3'"
        )
    year, quarter = int(match["year"]), int(match["quarter"])
    import pandas as pd

    end = pd.Period(year=year, month=3 * quarter, freq="M")
    months = tuple(str(end - k) for k in range(11, -1, -1))
    previous = tuple(str(end - 12 - k) for k in range(11, -1, -1))
    return Period(label=f"{year}Q{quarter}", months=months, previous_months=previous)


def previous_quarter(label: str) -> str:
    """The quarter before: '2021Q3' -> '2021Q2', '2021Q1' -> '2020Q4'."""
    period = parse_period(label)
    end = month_period(period.end) - 3
    return f"{end.year}Q{(end.month - 1) // 3 + 1}"


def quarter_of(month: str) -> str:
    """The quarter label ('2021Q3') containing a month ('2021-08')."""
    period = month_period(month)
    return f"{period.year}Q{(period.month - 1) // 3 + 1}"


def quarters_in(months) -> list[str]:
    """Every quarter label whose three months all appear in ``months``, in order."""
    present = set(months)
    out = []
    for month in sorted(present):
        p = month_period(month)
        if p.month % 3 == 0 and {str(p - 2), str(p - 1), str(p)} <= present:
            out.append(quarter_of(month))
    return out
