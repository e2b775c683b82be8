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

WIDTH = 560
PNG_SCALE = 1.5
#: the Vega-Lite schema the specs are written against (the version vl-convert renders)
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
#: Vega-Lite's default view size, stated as altair stated it (the charts set their own)
CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}

HIGHLIGHT = "#b3261e"
NEUTRAL = "#4c6a92"


def render(spec: dict) -> str:
    """The chart as SVG text (vl-convert: Vega-Lite to Vega to SVG). Not validated here."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


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


def interval_chart(table: pd.DataFrame, title: str, x_title: str, reference: float | None = None):
    """Point estimate and interval per group (columns group, estimate, lower, upper)."""
    y = _n("group", sort=None, title=None)
    layers = [
        {
            "mark": {"type": "rule", "color": NEUTRAL, "strokeWidth": 2},
            "encoding": {"x": _q("lower", title=x_title), "x2": {"field": "upper"}, "y": y},
        },
        {
            "mark": {"type": "point", "color": NEUTRAL, "filled": True, "size": 70},
            "encoding": {
                "tooltip": [
                    _n("group"),
                    _q("estimate", format=".2f"),
                    _q("lower", format=".2f"),
                    _q("upper", format=".2f"),
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
    return _chart(layers, title, 28 * len(table) + 20, _data(table))


def spc_chart(spc: pd.DataFrame, title: str, y_title: str):
    """XmR chart: monthly values, centre line, process limits; special causes marked by shape
    (a diamond) as well as colour. Months without data are gaps in the line (rows with no
    value), not joined up."""
    frame = spc.assign(
        date=pd.to_datetime(spc["month"]),
        signal=spc["special_cause"].map({True: "special cause", False: "common cause"}),
    )
    data = _data(frame)
    x = _t("date", axis={"format": "%b %Y"}, title=None)

    def line(mark: dict, y: dict) -> dict:
        return {"data": data, "mark": {"type": "line", **mark}, "encoding": {"x": x, "y": y}}

    signals = ["common cause", "special cause"]
    legend = {"orient": "bottom", "title": None}
    points = {
        "data": _data(frame.dropna(subset=["value"])),
        "mark": {"type": "point", "filled": True, "size": 60},
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
        line({"color": NEUTRAL}, _q("value", title=y_title)),
        line({"color": "#333", "strokeDash": [2, 2]}, _q("centre")),
        line({"color": "#767676", "strokeDash": [6, 3]}, _q("upper")),
        line({"color": "#767676", "strokeDash": [6, 3]}, _q("lower")),
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
    x = _q("denominator", axis={"format": "~s", "tickCount": 6}, scale={"type": "log"},
           title=x_title)  # fmt: skip
    legend = {"orient": "bottom", "title": None}
    limit_data = _data(limits)
    layers = [
        {
            "data": limit_data,
            "mark": {"type": "line", "strokeDash": [5, 3]},
            "encoding": {
                "color": _n("band", legend=legend, scale={"range": ["#888", "#444"]}),
                "x": x,
                "y": _q(side, title=y_title),
            },
        }
        for side in ("lower", "upper")
    ]
    layers.append(
        {
            "data": {"values": [{"t": _plain(target)}]},
            "mark": {"type": "rule", "color": "#333"},
            "encoding": {"y": _q("t")},
        }
    )
    layers.append(
        {
            "data": _data(pts),
            "mark": {"type": "point", "filled": True, "size": 80},
            "encoding": {
                "fill": _n(
                    "highlight",
                    legend=legend,
                    scale={"domain": [label, "other forces"], "range": [HIGHLIGHT, NEUTRAL]},
                ),
                "shape": _n("highlight", legend=None),
                "tooltip": [_n("force"), _q("value", format=".3f"), _q("denominator")],
                "x": x,
                "y": _q("value"),
            },
        }  # fmt: skip
    )
    layers.append(
        {
            "data": _data(pts[pts["force"] == force]),
            "mark": {
                "type": "text",
                "align": "left",
                "color": HIGHLIGHT,
                "dx": 8,
                "fontWeight": "bold",
            },
            "encoding": {"text": _n("highlight"), "x": x, "y": _q("value")},
        }  # fmt: skip
    )
    return _chart(layers, title, 320)
