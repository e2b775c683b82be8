"""The ``method`` column of ``tables/estimates.csv``: each figure's method, from its method code
(:class:`peelstats.vocabulary.Methods`) and the numbers the code needs (``Figure.method_args``).
"""

from __future__ import annotations

from peelstats.vocabulary import Methods

_TEXT = {
    Methods.COUNT: "count",
    Methods.COUNT_POISSON: "count; interval: Poisson {interval} (natural variation)",
    Methods.RATE_POISSON: "Poisson {interval}; Census 2021 usual residents; not annualised",
    Methods.RATE_RATIO: "rate ratio, {interval} conditional (binomial) interval and test",
    Methods.RATE_RATIO_BOUND: (
        "rate ratio with the {unknown:,} searches of unrecorded ethnicity all allocated to "
        "{allocated_to}; exact conditional (binomial) interval"
    ),
    Methods.QUARTER_RATE_RATIO: (
        "Black/White rate ratio, exact conditional (binomial) interval; Census 2021 usual residents"
    ),
    Methods.CHANGE_POISSON: (
        "Poisson rate ratio (this year / year before), {interval} interval and test"
    ),
    Methods.PROPORTION: "proportion, Wilson score interval",
    Methods.PROPORTION_FPC: (
        "proportion, Wilson score interval with finite population correction (sampled from "
        "{sampled_from:,} records)"
    ),
    Methods.SHARE: "share of searches, Wilson score interval",
    Methods.SHARE_RECORDING: "share of searches recording the field, Wilson score interval",
    Methods.DIFFERENCE: "difference in proportions, Newcombe hybrid score interval; score test",
    Methods.DIFFERENCE_YEAR: (
        "difference in proportions (this year minus the year before, over the months with data "
        "in both years), Newcombe hybrid score interval; score test"
    ),
    Methods.DIFFERENCE_AUDITS: (
        "difference in proportions (later minus earlier), Newcombe hybrid score interval; "
        "two-sided pooled score test"
    ),
    Methods.ODDS_RATIO_MH: (
        "odds ratio against White, Mantel-Haenszel across objects of search "
        "(Robins-Breslow-Greenland interval; Mantel-Haenszel test)"
    ),
    Methods.OUTCOME_RATE: (
        "proportion of victim-based crimes, Wilson score interval; p: pooled score test against "
        "the rest of England and Wales"
    ),
    Methods.USE_OF_FORCE_RATE: (
        "incidents per 1,000 Census 2021 usual residents (the Home Office divides by mid-year "
        "estimates); Poisson {interval} interval"
    ),
    Methods.SHARE_CHANGE: (
        "difference in proportions (this year minus {previous}), Newcombe hybrid score interval; "
        "score test"
    ),
    Methods.TACTICS_COUNT: (
        "count of tactics used (several per incident); Poisson {interval} interval on the "
        "effective count, widened by the design effect {design_effect:.2f}"
    ),
    Methods.TACTICS_RATE: (
        "tactics used per 1,000 Census 2021 usual residents; Poisson {interval} interval on the "
        "effective count, widened by the design effect {design_effect:.2f}"
    ),
    Methods.TACTICS_RATIO: (
        "rate ratio of tactics used against White; log-scale (Katz) interval and Wald test with "
        "the variance multiplied by the design effect {design_effect:.2f}"
    ),
    Methods.TACTICS_RATIO_BOUND: (
        "rate ratio of tactics used with the {unknown:,} tactics of ethnicity not stated all "
        "allocated to {allocated_to}; log-scale interval widened by the design effect "
        "{design_effect:.2f}"
    ),
    Methods.PUBLISHED_IMPLIED: (
        "as published; Wilson score interval on the counts the published percent and number of "
        "crimes imply, allowing for the percent's rounding"
    ),
}

#: why no test was made of an audit change
_NO_TEST = {
    "not_comparable": "the audits cannot be compared",
    "comparability_unknown": "the audit table does not say whether the audits can be compared",
    "earlier_size_unknown": "the earlier audit published neither its sample size nor its margin",
}


def method_text(fig) -> str:
    """The method of a figure in words (its code when the code has no words: never empty)."""
    code, args = fig.method, dict(fig.method_args or {})
    if code in _TEXT:
        return _TEXT[code].format(**args)
    if code == Methods.NO_TEST:
        return f"no test: {_NO_TEST[args['reason']]}"
    if code == Methods.AS_PUBLISHED:
        text = f"as published ({args['source']})" if args.get("source") else "as published"
        if args.get("data_source"):
            text += f"; from {args['data_source']}"
        if args.get("margin") is not None:
            text += f" (+/- {args['margin']:g} percentage points, at 95%)"
        if args.get("implied_n") is not None:
            text += (
                f"; sample size not published: about {args['implied_n']:.0f} implied by the "
                "margin (an inference)"
            )
        return text
    return code
