"""Formatted views of estimate tables for the notebooks (text only; no statistics here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from peelstats.analysis.schema import write_estimates
from peelstats.report.display import fmt_number, fmt_p


def signed(value: float, digits: int = 1) -> str:
    """+1.2 / -1.2, and 0.0 rather than -0.0 or +0.0."""
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text


def _ci(lower, upper, digits=1, scale=1.0, suffix="") -> str:
    if np.isnan(lower) or np.isnan(upper):
        return "–"
    return f"{lower * scale:,.{digits}f} to {upper * scale:,.{digits}f}{suffix}"


def _flag_words(flags: str) -> str:
    words = {
        "small_numbers": "small numbers",
        "incomplete_period": "months missing",
        "repaired_months": "doubled month repaired",
        "matched_months_only": "matched months only",
        "implied_sample_size": "sample size implied",
        "assumed_sample_size": "sample size assumed",
    }
    return ", ".join(words[f] for f in str(flags).split(";") if f in words)


def _select(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    return table[table["measure"] == measure].reset_index(drop=True)


def rates_view(table: pd.DataFrame, confidence: float) -> pd.DataFrame:
    rates = _select(table, "search_rate_per_1000")
    return pd.DataFrame(
        {
            "Ethnic group": rates["group"].replace({"all": "All people"}),
            "Searches": [fmt_number(int(v)) for v in rates["numerator"]],
            "Residents (Census 2021)": [fmt_number(int(v)) for v in rates["denominator"]],
            "Searches per 1,000": [fmt_number(v, 2) for v in rates["estimate"]],
            f"{confidence:.0%} CI (exact Poisson)": [
                _ci(lo, hi, 2) for lo, hi in zip(rates["lower"], rates["upper"], strict=True)
            ],
            "Notes": [_flag_words(f) for f in rates["flags"]],
        }
    )


def ratio_view(table: pd.DataFrame, confidence: float) -> pd.DataFrame:
    ratio = _select(table, "search_rate_ratio_vs_white")
    return pd.DataFrame(
        {
            "Ethnic group": ratio["group"],
            "Times as likely as White people": [fmt_number(v, 2) for v in ratio["estimate"]],
            f"{confidence:.0%} CI (exact conditional)": [
                _ci(lo, hi, 2) for lo, hi in zip(ratio["lower"], ratio["upper"], strict=True)
            ],
            "p": [fmt_p(v) for v in ratio["p_value"]],
            "Notes": [_flag_words(f) for f in ratio["flags"]],
        }
    )


def outcome_view(table: pd.DataFrame, measure: str, label: str, confidence: float):
    rate = _select(table, measure).set_index("group")
    diff = _select(table, f"{measure}_difference_vs_white").set_index("group")
    groups = list(rate.index)
    return pd.DataFrame(
        {
            "Ethnic group": [g if g != "all" else "All searches" for g in groups],
            "Searches": [fmt_number(int(rate.loc[g, "denominator"])) if
                         not np.isnan(rate.loc[g, "denominator"]) else "0" for g in groups],
            label: [fmt_number(int(rate.loc[g, "numerator"])) if
                    not np.isnan(rate.loc[g, "numerator"]) else "0" for g in groups],
            "Rate": [f"{rate.loc[g, 'estimate']:.1%}" if not np.isnan(rate.loc[g, "estimate"])
                     else "–" for g in groups],
            f"{confidence:.0%} CI (Wilson)": [
                _ci(rate.loc[g, "lower"], rate.loc[g, "upper"], 1, 100, "%") for g in groups
            ],
            "Difference vs White (points)": [
                signed(diff.loc[g, "estimate"] * 100) if g in diff.index else "" for g in groups
            ],
            f"{confidence:.0%} CI (Newcombe)": [
                _ci(diff.loc[g, "lower"], diff.loc[g, "upper"], 1, 100) if g in diff.index
                else "" for g in groups
            ],
            "p": [fmt_p(diff.loc[g, "p_value"]) if g in diff.index else "" for g in groups],
            "Notes": [_flag_words(rate.loc[g, "flags"]) for g in groups],
        }
    )  # fmt: skip


def interval_frame(table: pd.DataFrame, measure: str, groups=None, scale=1.0) -> pd.DataFrame:
    """Rows for an interval chart: group, estimate, lower, upper (scaled)."""
    rows = _select(table, measure)
    if groups is not None:
        rows = rows[rows["group"].isin(groups)]
    rows = rows.dropna(subset=["estimate"])
    return pd.DataFrame(
        {
            "group": rows["group"].replace({"all": "All"}),
            "estimate": rows["estimate"] * scale,
            "lower": rows["lower"] * scale,
            "upper": rows["upper"] * scale,
        }
    ).reset_index(drop=True)


def audit_view(table: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Audit estimates: what, estimate, interval, method, notes."""
    rows = table[~table["measure"].str.endswith("_change")]
    return pd.DataFrame(
        {
            "Figure": [
                g + (" (with finite population correction)" if m.endswith("_fpc") else "")
                for g, m in zip(rows["group"], rows["measure"], strict=True)
            ],
            "Records": [
                f"{int(x)} of {int(n)}" if not np.isnan(x) else
                (f"about {int(n)} (implied)" if not np.isnan(n) else "not published")
                for x, n in zip(rows["numerator"], rows["denominator"], strict=True)
            ],
            "Estimate": [f"{v:.1%}" for v in rows["estimate"]],
            f"{confidence:.0%} CI": [
                _ci(lo, hi, 1, 100, "%")
                for lo, hi in zip(rows["lower"], rows["upper"], strict=True)
            ],
            "Method": rows["method"].to_numpy(),
            "Notes": [_flag_words(f) for f in rows["flags"]],
        }
    )  # fmt: skip


def change_view(table: pd.DataFrame, confidence: float) -> pd.DataFrame:
    rows = table[table["measure"].str.endswith("_change")]
    verdicts = {
        "improvement": "statistically significant improvement",
        "deterioration": "statistically significant deterioration",
        "no_significant_change": "no statistically significant change",
    }
    return pd.DataFrame(
        {
            "Comparison": rows["group"].to_numpy(),
            "Difference (points)": [signed(v * 100) for v in rows["estimate"]],
            f"{confidence:.0%} CI (Newcombe)": [
                _ci(lo, hi, 1, 100) for lo, hi in zip(rows["lower"], rows["upper"], strict=True)
            ],
            "p (score test)": [fmt_p(v) for v in rows["p_value"]],
            "Verdict": [next((verdicts[f] for f in str(fl).split(";") if f in verdicts), "")
                        for fl in rows["flags"]],
            "Notes": [_flag_words(f) for f in rows["flags"]],
        }
    )  # fmt: skip


def save_table(table: pd.DataFrame, output_dir, name: str) -> None:
    """In report runs, write this notebook's estimates to output_dir/tables/<name>.csv."""
    if output_dir is None:
        return
    folder = Path(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    write_estimates(table, folder / f"{name}.csv")


def outcome_rates_view(rates: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Outcome-type rates: force vs rest of England and Wales, with intervals and p."""
    return pd.DataFrame(
        {
            "Outcome type": rates["outcome"],
            "Force": [f"{v:.1%}" for v in rates["force_rate"]],
            f"{confidence:.0%} CI (Wilson)": [
                _ci(lo, hi, 1, 100, "%")
                for lo, hi in zip(rates["force_lower"], rates["force_upper"], strict=True)
            ],
            "Rest of England and Wales": [f"{v:.1%}" for v in rates["rest_rate"]],
            "England and Wales": [f"{v:.1%}" for v in rates["ew_rate"]],
            "Difference (points)": [signed(v * 100) for v in rates["difference"]],
            "p (score test)": [fmt_p(v) for v in rates["p_value"]],
        }
    )


def published_outcomes_view(published: pd.DataFrame, confidence: float) -> pd.DataFrame:
    from peelstats.analysis.outcomes import published_comparison

    table = published_comparison(published, confidence)
    return pd.DataFrame(
        {
            "Outcome types": table["outcome_types"].str.replace(";", " and "),
            "Outcome": table["outcome_label"],
            "Force (published)": [f"{v:.1f}%" for v in table["force_percent"]],
            f"{confidence:.0%} CI (Wilson, implied counts)": [
                _ci(lo, hi, 1, 100, "%")
                for lo, hi in zip(table["lower"], table["upper"], strict=True)
            ],
            "England and Wales (published)": [f"{v:.1f}%" for v in table["england_wales_percent"]],
            "Force against E&W": table["versus"],
        }
    )
