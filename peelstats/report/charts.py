"""altair charts for the notebooks: intervals by group, monthly SPC, funnel plots.

Each function takes tidy tables from ``peelstats.analysis`` and returns an altair chart; none
computes a statistic.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from peelstats.safe_text import xml_safe

WIDTH = 560
PNG_SCALE = 1.5


def render(chart) -> tuple[str, bytes]:
    """The chart as SVG text and as PNG bytes, rendered once (vl-convert: Vega-Lite to SVG,
    then resvg rasterises that SVG). The spec is not schema-validated here: every chart this
    module builds is validated by the tests (tests/report/test_charts.py)."""
    import vl_convert

    # text from data (an object of search, a force's name) may carry control characters, which
    # SVG (XML) cannot hold and on which the renderer aborts the whole process
    spec = xml_safe(chart.to_dict(validate=False))
    svg = vl_convert.vegalite_to_svg(spec)
    return svg, vl_convert.svg_to_png(svg, scale=PNG_SCALE)


HIGHLIGHT = "#b3261e"
NEUTRAL = "#4c6a92"


def interval_chart(table: pd.DataFrame, title: str, x_title: str, reference: float | None = None):
    """Point estimate and interval per group (columns group, estimate, lower, upper)."""
    base = alt.Chart(table).encode(y=alt.Y("group:N", sort=None, title=None))
    rule = base.mark_rule(color=NEUTRAL, strokeWidth=2).encode(
        x=alt.X("lower:Q", title=x_title), x2="upper:Q"
    )
    point = base.mark_point(filled=True, size=70, color=NEUTRAL).encode(
        x="estimate:Q",
        tooltip=[
            "group",
            alt.Tooltip("estimate:Q", format=".2f"),
            alt.Tooltip("lower:Q", format=".2f"),
            alt.Tooltip("upper:Q", format=".2f"),
        ],
    )
    layers = [rule, point]
    if reference is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"x": [reference]}))
            .mark_rule(strokeDash=[4, 4], color="#777")
            .encode(x="x:Q")
        )
    return alt.layer(*layers).properties(title=title, width=WIDTH, height=28 * len(table) + 20)


def spc_chart(spc: pd.DataFrame, title: str, y_title: str):
    """XmR chart: monthly values, centre line, process limits; special causes marked by shape
    (a diamond) as well as colour. Months without data are gaps in the line (rows with no
    value), not joined up."""
    data = spc.assign(
        date=pd.to_datetime(spc["month"]),
        signal=spc["special_cause"].map({True: "special cause", False: "common cause"}),
    )
    base = alt.Chart(data).encode(x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y")))
    line = base.mark_line(color=NEUTRAL).encode(y=alt.Y("value:Q", title=y_title))
    points = (
        alt.Chart(data.dropna(subset=["value"]))
        .mark_point(filled=True, size=60)
        .encode(
            x="date:T",
            y="value:Q",
            color=alt.Color(
                "signal:N",
                scale=alt.Scale(
                    domain=["common cause", "special cause"], range=[NEUTRAL, HIGHLIGHT]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            shape=alt.Shape(
                "signal:N",
                scale=alt.Scale(
                    domain=["common cause", "special cause"], range=["circle", "diamond"]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[alt.Tooltip("date:T", format="%B %Y"), "value:Q", "signal:N"],
        )
    )
    centre = base.mark_line(color="#333", strokeDash=[2, 2]).encode(y="centre:Q")
    upper = base.mark_line(color="#767676", strokeDash=[6, 3]).encode(y="upper:Q")
    lower = base.mark_line(color="#767676", strokeDash=[6, 3]).encode(y="lower:Q")
    return alt.layer(line, centre, upper, lower, points).properties(
        title=title, width=WIDTH, height=260
    )


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    target: float,
    force: str,
    title: str,
    x_title: str,
    y_title: str,
    scale: float = 1.0,
    force_label: str | None = None,
):
    """Funnel plot: every force's value against its denominator, with control limits."""
    label = force_label or force
    limits = limits.assign(
        lower=limits["lower"] * scale,
        upper=limits["upper"] * scale,
        band=limits["level"].map(lambda v: f"{v * 100:g}% limits"),
    )
    pts = points.assign(
        highlight=points["force"].eq(force).map({True: label, False: "other forces"})
    )
    x = alt.X(
        "denominator:Q",
        title=x_title,
        scale=alt.Scale(type="log"),
        axis=alt.Axis(format="~s", tickCount=6),
    )
    lines = []
    for side in ("lower", "upper"):
        lines.append(
            alt.Chart(limits)
            .mark_line(strokeDash=[5, 3])
            .encode(
                x=x,
                y=alt.Y(f"{side}:Q", title=y_title),
                color=alt.Color(
                    "band:N",
                    scale=alt.Scale(range=["#888", "#444"]),
                    legend=alt.Legend(title=None, orient="bottom"),
                ),
            )
        )
    target_line = alt.Chart(pd.DataFrame({"t": [target]})).mark_rule(color="#333").encode(y="t:Q")
    dots = (
        alt.Chart(pts)
        .mark_point(filled=True, size=80)
        .encode(
            x=x,
            y="value:Q",
            shape=alt.Shape("highlight:N", legend=None),
            fill=alt.Fill(
                "highlight:N",
                scale=alt.Scale(domain=[label, "other forces"], range=[HIGHLIGHT, NEUTRAL]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["force:N", alt.Tooltip("value:Q", format=".3f"), "denominator:Q"],
        )
    )
    labels = (
        alt.Chart(pts[pts["force"] == force])
        .mark_text(align="left", dx=8, color=HIGHLIGHT, fontWeight="bold")
        .encode(x=x, y="value:Q", text="highlight:N")
    )
    return alt.layer(*lines, target_line, dots, labels).properties(
        title=title, width=WIDTH, height=320
    )
