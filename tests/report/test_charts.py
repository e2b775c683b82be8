"""Every chart the notebooks draw is a valid Vega-Lite spec.

``charts`` writes Vega-Lite specs as plain dicts and ``charts.render`` draws them without
validating; this test validates instead: it draws every chart of Durham's stop-and-search and
outcomes sections and checks each spec against the Vega-Lite schema bundled with altair (the
version ``charts.SCHEMA`` names), in a process that has imported the batch's fork-server
preload (``peelstats.run.warmup``), so its import shims are in force.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = r"""
import contextlib, io, json, sys
import peelstats.run.warmup  # the batch's preload, with its import shims
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import SCHEMA_URL, load_schema
from peelstats.analysis.searches import SearchData
from peelstats.analysis import outcomes, params, quarters, search_detail, stop_search
from peelstats.data import load_crime_outcomes
from peelstats.report import charts, present

specs = []

def validating_render(spec):
    json.dumps(spec, allow_nan=False)  # plain JSON: no NaN, no numpy or pandas values
    validate_jsonschema(spec, load_schema())  # raises on the first error
    specs.append(spec)
    return "<svg/>"

charts.render = validating_render
p = params.validate("durham", "2021Q3", "self", 0.95, "svg", "default")
data = SearchData.load("default")
with contextlib.redirect_stdout(io.StringIO()):
    r = stop_search.build(data, p)
    for show in (present.stop_search_rates, present.stop_search_ratios,
                 present.stop_search_outcomes, present.stop_search_months,
                 present.stop_search_funnels):
        show(r)
    present.quarters(quarters.build(data, p))
    present.search_detail(search_detail.build(SearchData.load("default"), p))
    present.outcomes(outcomes.build(outcomes.OutcomesData.load("default"), p))
print(json.dumps({"charts": len(specs), "shimmed": sys.modules.get("rfc3987_syntax", 0) is None,
                  "schema": charts.SCHEMA == SCHEMA_URL,
                  "marks": sorted({str(s.get("layer", [s])[0].get("mark")) for s in specs})}))
"""


def test_every_chart_is_a_valid_vega_lite_spec():
    run = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    # Durham 2021Q3: 3 interval charts, the XmR chart, 3 stop-and-search funnels, the quarters
    # and object charts, and the charge-rate funnel
    assert got["charts"] >= 10
    assert got["shimmed"]
    assert got["schema"], "charts.SCHEMA must name the Vega-Lite version the schema check uses"


def test_an_invalid_spec_is_caught():
    """The check above would notice a spec that breaks the schema."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    bad = {"mark": "point", "encoding": {"x": {"field": "x", "type": "quantity"}}}
    assert validate_jsonschema(bad, load_schema(), raise_error=False) is not None
