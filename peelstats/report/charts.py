"""Charts for the notebooks: intervals by group, monthly SPC, funnel plots.

Each function takes tidy tables from ``peelstats.analysis`` and returns a Vega-Lite spec (a
plain dict, written here directly: building it with altair cost more than rendering it); none
computes a statistic. :func:`render` draws a spec as SVG with vl-convert (offline,
deterministic), once per chart; :func:`to_png` rasterises that SVG, only for the Word document.
Every spec is validated against Vega-Lite's schema by the tests (tests/report/test_charts.py),
not at render time.
"""

from __future__ import annotations

import math

import pandas as pd

from peelstats.safe_text import xml_safe

WIDTH = 560
PNG_SCALE = 1.5
#: the Vega-Lite schema the specs are written against (the version vl-convert renders)
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: Vega-Lite's default view size, stated as altair stated it (the charts set their own)
CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}

#: legends under the plot, with room between entries (a browser's font can be wider than the
#: one the layout was measured with)
LEGEND = {"orient": "bottom", "title": None, "columnPadding": 18, "padding": 6}

HIGHLIGHT = "#b3261e"
NEUTRAL = "#4c6a92"


def render(spec: dict) -> str:
    """The chart as SVG text (vl-convert: Vega-Lite to Vega to SVG). Not validated here: every
    chart this module builds is validated by the tests (tests/report/test_charts.py)."""
    import vl_convert

    # text from data (an object of search, a force's name) may carry control characters, which
    # SVG (XML) cannot hold and on which the renderer aborts the whole process
    return vl_convert.vegalite_to_svg(xml_safe(spec))


def to_png(svg: str) -> bytes:
    """A rendered chart's SVG as PNG (resvg, at PNG_SCALE), for documents that need pixels."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=PNG_SCALE)


def _plain(value):
    """A JSON value: NaN and missing as null, numpy scalars as Python's."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def values(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as inline Vega-Lite data (dates as ISO text, as altair wrote them)."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            columns[name] = [
                None if pd.isna(v) else v.strftime("%Y-%m-%dT%H:%M:%S") for v in column
            ]
        else:
            columns[name] = [_plain(v) for v in column.tolist()]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _data(frame: pd.DataFrame) -> dict:
    return {"values": values(frame)}


def _chart(layers: list[dict], title: str, height: int, data: dict | None = None) -> dict:
    spec: dict = {"config": CONFIG, "layer": layers}
    if data is not None:
        spec["data"] = data
    spec.update({"height": height, "title": title, "width": WIDTH, "$schema": SCHEMA})
    return spec


def _q(field: str, **extra) -> dict:
    return {"field": field, **extra, "type": "quantitative"}


def _n(field: str, **extra) -> dict:
    return {"field": field, **extra, "type": "nominal"}


def _t(field: str, **extra) -> dict:
    return {"field": field, **extra, "type": "temporal"}


def interval_chart(
    table: pd.DataFrame,
    title: str,
    x_title: str,
    reference: float | None = None,
    percent: bool = False,
):
    """Point estimate and interval per group (columns group, estimate, lower, upper). With
    ``percent``, the values are percentages (0 to 100) and the axis reads 10%, 20%, ..."""
    if percent:  # drawn as proportions, so Vega's % format writes the ticks
        table = table.assign(**{c: table[c] / 100 for c in ("estimate", "lower", "upper")})
    number = ".1%" if percent else ".2f"
    axis = {"format": "%"} if percent else {}
    y = _n("group", axis={"labelLimit": 320}, sort=None, title=None)
    x = _q("lower", **({"axis": axis} if axis else {}), title=x_title)
    layers = [
        {
            "mark": {"type": "rule", "color": NEUTRAL, "strokeWidth": 2},
            "encoding": {"x": x, "x2": {"field": "upper"}, "y": y},
        },
        {
            "mark": {"type": "point", "color": NEUTRAL, "filled": True, "size": 70},
            "encoding": {
                "tooltip": [
                    _n("group"),
                    _q("estimate", format=number),
                    _q("lower", format=number),
                    _q("upper", format=number),
                ],
                "x": _q("estimate"),
                "y": y,
            },
        },
    ]
    if reference is not None:
        layers.append(
            {
                "data": {"values": [{"x": reference}]},
                "mark": {"type": "rule", "color": "#777", "strokeDash": [4, 4]},
                "encoding": {"x": _q("x")},
            }
        )
    spec = _chart(layers, title, 28 * len(table) + 20, _data(table))
    # Room at the left for the group names: the layout measures them in the renderer's font,
    # and a browser's can be wider (a long name was cut at the image's edge).
    longest = max((len(str(g)) for g in table["group"]), default=0)
    spec["padding"] = {"left": 5 + longest, "top": 5, "right": 5, "bottom": 5}
    return spec


#: dash patterns: the centre line and the all-forces value, control limits
CENTRE_DASH, LIMIT_DASH, SOLID = [2, 2], [6, 3], [1, 0]
#: the funnel's limits: the narrower level lighter, the wider darker (both >= 3:1 on white)
LIMIT_COLOURS = ("#888", "#444")


def _stroke_legend(field: str, domain: list, colours: list, dashes: list) -> dict:
    """Colour and dash of lines by ``field``, in one legend whose symbols are the lines' own
    strokes (colour and dash)."""
    legend = {**LEGEND, "symbolType": "stroke", "symbolStrokeWidth": 2}
    return {
        "stroke": _n(field, legend=legend, scale={"domain": domain, "range": colours}),
        "strokeDash": _n(field, legend=legend, scale={"domain": domain, "range": dashes}),
    }


def spc_chart(
    spc: pd.DataFrame,
    title: str,
    y_title: str,
    lines: tuple[str, str] = ("centre line", "control limits"),
):
    """XmR chart: monthly values, centre line, process limits; special causes marked by shape
    (a diamond) as well as colour. Months without data are gaps in the line (rows with no
    value), not joined up. The legend names the points (``signal``) and the lines (``lines``:
    the centre line's and the limits' names), each with its own symbol and dash."""
    frame = spc.assign(
        date=pd.to_datetime(spc["month"]),
        signal=spc["special_cause"].map({True: "special cause", False: "common cause"}),
    )
    x = _t("date", axis={"format": "%b %Y"}, title=None)
    centre, limits = lines
    guides = pd.concat(
        [
            frame[["date"]].assign(line=name, side=side, y=frame[side])
            for side, name in (("centre", centre), ("upper", limits), ("lower", limits))
        ],
        ignore_index=True,
    )
    signals = ["common cause", "special cause"]
    legend = LEGEND
    points = {
        "data": _data(frame.dropna(subset=["value"])),
        "mark": {"type": "point", "filled": True, "size": 70},
        "encoding": {
            "color": _n("signal", legend=legend,
                        scale={"domain": signals, "range": [NEUTRAL, HIGHLIGHT]}),
            "shape": _n("signal", legend=legend,
                        scale={"domain": signals, "range": ["circle", "diamond"]}),
            "tooltip": [_t("date", format="%B %Y"), _q("value"), _n("signal")],
            "x": _t("date"),
            "y": _q("value"),
        },
    }  # fmt: skip
    layers = [
        {
            "data": _data(frame),
            "mark": {"type": "line", "color": NEUTRAL},
            "encoding": {"x": x, "y": _q("value", title=y_title)},
        },
        {
            "data": _data(guides),
            "mark": {"type": "line"},
            "encoding": {
                **_stroke_legend(
                    "line", [centre, limits], ["#333", "#767676"], [CENTRE_DASH, LIMIT_DASH]
                ),
                "detail": _n("side"),
                "x": x,
                "y": _q("y"),
            },
        },  # fmt: skip
        points,
    ]
    return _chart(layers, title, 260)


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
    kind: str = "rate",
    target_label: str = "all forces together",
):
    """Funnel plot: every force's value against its denominator, with control limits.

    ``kind`` 'proportion' draws the values (proportions) on a percent axis. The legend shows
    each mark as drawn: the force (``force_label``) a red circle, the other forces blue
    squares, the all-forces value (``target_label``) a solid line, each limit its dashed line.
    The force is named in the legend, not beside its point, so no label crosses a line; it is
    drawn last, above the others."""
    label = force_label or force

    def band(level: float) -> str:
        return f"{level * 100:g}% limits"

    limits = limits.assign(
        lower=limits["lower"] * scale,
        upper=limits["upper"] * scale,
        band=limits["level"].map(band),
    )
    bands = [band(v) for v in sorted(limits["level"].unique())]
    pts = points.assign(
        highlight=points["force"].eq(force).map({True: label, False: "other forces"})
    )
    pts = pts.iloc[pts["force"].eq(force).argsort(kind="stable")]  # the force drawn last
    percent = kind == "proportion"
    y_axis = {"axis": {"format": "%"}} if percent else {}
    x = _q("denominator", axis={"format": "~s", "tickCount": 6}, scale={"type": "log"},
           title=x_title)  # fmt: skip
    lines = _stroke_legend(
        "band",
        [target_label, *bands],
        ["#333", *(LIMIT_COLOURS[min(i, 1)] for i in range(len(bands)))],
        [SOLID, *([LIMIT_DASH] * len(bands))],
    )
    limit_data = _data(limits)
    layers = [
        {
            "data": limit_data,
            "mark": {"type": "line"},
            "encoding": {**lines, "x": x, "y": _q(side, **y_axis, title=y_title)},
        }
        for side in ("lower", "upper")
    ]
    layers.append(
        {
            "data": {"values": [{"t": _plain(target), "band": target_label}]},
            "mark": {"type": "rule"},
            "encoding": {**lines, "y": _q("t")},
        }
    )
    legend = LEGEND
    shown = pts["force"].eq(force).any()  # the force's own point, when it has one
    domain = [label, "other forces"] if shown else ["other forces"]
    fills, shapes = (
        ([HIGHLIGHT, NEUTRAL], ["circle", "square"]) if shown else ([NEUTRAL], ["square"])
    )
    layers.append(
        {
            "data": _data(pts),
            "mark": {
                "type": "point",
                "filled": True,
                "size": 80,
                "opacity": 1,
                "stroke": "white",
                "strokeWidth": 1,
            },
            "encoding": {
                "fill": _n(
                    "highlight",
                    legend=legend,
                    scale={"domain": domain, "range": fills},
                ),
                "shape": _n(
                    "highlight",
                    legend=legend,
                    scale={"domain": domain, "range": shapes},
                ),
                "tooltip": [
                    _n("force"),
                    _q("value", format=".1%" if percent else ".3f"),
                    _q("denominator"),
                ],
                "x": x,
                "y": _q("value"),
            },
        }  # fmt: skip
    )
    return _chart(layers, title, 320)
