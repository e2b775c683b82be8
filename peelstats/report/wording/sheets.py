"""The names of the sheets of ``estimates.xlsx``, one per section (Excel allows 31 characters)."""

STOP_SEARCH = "Stop and search"
QUARTERS = "Quarter by quarter"
SEARCH_DETAIL = "Searched for, and who"
REASONABLE_GROUNDS = "Reasonable grounds"
CRIME_DATA_INTEGRITY = "Crime data integrity"
PUBLISHED_FIGURES = "Published figures"
PUBLISHED_OUTCOMES = "Published outcomes"
OUTCOMES = "Crime outcomes"
USE_OF_FORCE = "Use of force"
TRENDS = "Trends"
FUNNELS = "Funnel plots"
ABOUT = "About"

#: the columns of each section's sheet
COLUMNS = {
    "force": "Force",
    "period_words": "Report period",
    "measure": "Measure",
    "group": "Group",
    "period_start": "Figure from",
    "period_end": "Figure to",
    "months_with_data": "Months with data",
    "months_in_period": "Months in period",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "estimate": "Estimate",
    "lower": "Lower limit",
    "upper": "Upper limit",
    "unit": "Unit",
    "confidence": "Confidence level",
    "p_value": "p-value",
    "method": "Method",
    "notes": "Notes",
}
#: each unit as a reader would say it (the numbers are formatted to match)
UNIT_WORDS = {
    "count": "count",
    "rate_per_1000": "per 1,000 residents",
    "ratio": "ratio (1 = the same rate)",
    "odds_ratio": "odds ratio (1 = the same odds)",
    "proportion": "percent",
    "percentage_points": "percentage points",
    "percent_change": "percent change",
}
TREND_COLUMNS = ("Section", "Series", "Months or quarters used", "Change (percent per step)",
                 "Lower limit", "Upper limit", "Confidence level", "p-value",
                 "Mann-Kendall p-value", "Verdict")  # fmt: skip
FUNNEL_COLUMNS = ("Measure", "Forces compared", "Force's value", "Forces together",
                  "Where the force sits", "Inner limits at its size: low", "high",
                  "19 forces in 20 lie between: low", "high", "tau (between-force spread)",
                  "Scale")  # fmt: skip


def about_rows(force_name: str, period_words: str, confidence: str, sheets: list[str]) -> list:
    """The About sheet: what the workbook holds, for whom, its source and licence."""
    from peelstats.report.wording.common import OGL

    return [
        (
            "What this workbook holds",
            f"Every figure of the statistical report on {force_name}'s "
            f"use of stop and search and the inspectorate's findings, {period_words}: one sheet "
            "per section, the trend tests and the funnel plots' results.",
        ),  # fmt: skip
        ("Force", force_name),
        ("Period", period_words),
        (
            "Confidence level",
            f"{confidence}, except the inspectorate's own published intervals (95%)",
        ),  # fmt: skip
        (
            "How to read it",
            "Each row is one figure with its interval. The Unit column says what "
            "the estimate is: percents are shown as percents, differences between percents in "
            "percentage points, ratios as ratios (1 = the same). Notes say what to bear in mind.",
        ),
        ("Sheets", "; ".join(sheets)),
        (
            "Sources",
            "police.uk stop and search data; ONS Census 2021 (TS021) and the LAD22 to "
            "PFA22 lookup; Home Office crime outcomes open data; HMICFRS PEEL reports.",
        ),
        ("Licence", OGL),
    ]
