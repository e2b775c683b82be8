"""Every word a report, a notebook, the index or the Panel paper shows, written from frozen
results: sentences, headings, captions, column headers, alt text and method text.

This package is the only place that turns results into English, one module per section
(:mod:`.stop_search`, :mod:`.funnels`, :mod:`.quarters`, :mod:`.search_detail`, :mod:`.audits`,
:mod:`.published`, :mod:`.outcomes`), with the shared numbers (:mod:`.numbers`), periods and
groups (:mod:`.common`), caveats, the summary, the glossary, the index and the sheets of the
spreadsheet. Its rules:

- a sentence claims only what its result shows: "statistically significant" exactly when the
  result's interval excludes no difference, the direction from the result, the confidence level
  the result carries (the run's, or the inspectorate's 95% for published margins);
- every count, rate or sentence over a period says which months it covers when the data lacks
  some ("the data has no file for ..."); rates over part of a year are not annualised;
- no audit change is judged where the audit table says the audits cannot be compared;
- intervals are given by both limits; a "+/-" is only ever the inspectorate's, and says so;
- method names belong in each section's methods note, not in the findings;
- nothing missing is written as a number: no "nan", no "-0.0", and a blank field is "not
  recorded", never 0.
"""

from __future__ import annotations

from peelstats.report.wording import sheets  # noqa: F401
from peelstats.report.wording.audits import (  # noqa: F401
    audit_change_sentence,
    audit_methods,
    audit_records_words,
    audit_subject_sentence,
    crime_data_integrity_findings,
    crime_data_integrity_heading,
    reasonable_grounds_findings,
    reasonable_grounds_heading,
)
from peelstats.report.wording.caveats import (  # noqa: F401
    caveat,
)
from peelstats.report.wording.charts import (  # noqa: F401
    interval_chart_alt,
    spc_chart_alt,
)
from peelstats.report.wording.common import (  # noqa: F401
    OGL,
    RATIO_NAME,
    SAME_RATE,
    SKIP_REASONS,
    TIMES_AS_LIKELY,
    capitalise,
    chart_title_with_intervals,
    count_words,
    coverage_phrase,
    coverage_short,
    definition_words,
    end_words,
    join_and,
    months_words,
    no_data_reason,
    number_words,
    people,
    plural,
    possessive,
    published_words,
    skip_reason,
    source_line,
    span_words,
    year_words,
)
from peelstats.report.wording.funnels import (  # noqa: F401
    funnel_chart_alt,
    funnel_method_words,
    funnel_reach_sentence,
    funnel_sentence,
)
from peelstats.report.wording.glossary import (  # noqa: F401
    GLOSSARY,
    glossary,
)
from peelstats.report.wording.index import (  # noqa: F401
    index_cells,
    run_labels,
)
from peelstats.report.wording.methods import method_text  # noqa: F401
from peelstats.report.wording.numbers import (  # noqa: F401
    WordingError,
    ci,
    ci_pct,
    ci_short,
    conf,
    fixed,
    pct,
    pct_digits,
    pct_pair,
    share_words,
    signed,
    whole,
)
from peelstats.report.wording.outcomes import (  # noqa: F401
    outcome_sentence,
    outcomes_findings,
    outcomes_heading,
    outcomes_methods,
)
from peelstats.report.wording.published import (  # noqa: F401
    _PUBLISHED_WHAT,
    beside_sentence,
    inspection_heading,
    our_value,
    published_heading,
    published_outcomes_findings,
    published_outcomes_heading,
    published_period,
    published_value,
)
from peelstats.report.wording.quarters import (  # noqa: F401
    quarters_heading,
    quarters_methods,
    quarters_sentences,
)
from peelstats.report.wording.search_detail import (  # noqa: F401
    AGE_SEX_NOT_STANDARDISED,
    S60_WORDS,
    adjusted_sentence,
    age_gender_sentence,
    object_find_sentence,
    object_sentence,
    p_value_words,
    s60_sentence,
    search_detail_caveats,
    search_detail_findings,
    search_detail_heading,
    search_detail_methods,
    strip_sentence,
)
from peelstats.report.wording.stop_search import (  # noqa: F401
    bounds_sentence,
    change_sentence,
    find_rate_sentence,
    group_difference_sentence,
    ratio_sentence,
    searches_sentence,
    stop_search_findings,
    stop_search_heading,
    stop_search_intro,
    stop_search_methods,
    trend_sentence,
)
from peelstats.report.wording.summary import (  # noqa: F401
    summary,
)
