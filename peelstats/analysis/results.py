"""Frozen results: what an analysis found, as data; never as sentences.

Each ``peelstats.analysis.<section>.build(...)`` returns one frozen result carrying its figures
(the rows of ``tables/estimates.csv``), their coverage (months present of months expected), the
comparability of audits, caveats (as codes with their numbers), trends and funnels. Notebooks
display a result; :mod:`peelstats.report.wording` writes its sentences; the index reads the
result saved beside the report (``results/<section>.json``) and never derives figures again.

Missing numbers are ``None``, never NaN, so that no "nan" can reach a sentence.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peelstats.files import atomic_write
from peelstats.vocabulary import Coverage

# ----------------------------------------------------------------------------- helpers


def num(value) -> float | None:
    """A plain float, or None for missing/NaN/infinite values (never NaN in a result)."""
    if value is None or value is pd.NA:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def count(value) -> int | None:
    x = num(value)
    return None if x is None else int(round(x))


# ----------------------------------------------------------------------------- building blocks


@dataclass(frozen=True)
class Caveat:
    """A caveat as a code and the numbers its sentence needs (wording writes the sentence)."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A small table carried inside a result (columns and rows of plain values)."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Table:
        rows = tuple(
            tuple(_plain(v) for v in row) for row in frame.itertuples(index=False, name=None)
        )
        return cls(tuple(str(c) for c in frame.columns), rows)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


def _plain(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return num(value)
    if value is pd.NA or value is None:
        return None
    return value


@dataclass(frozen=True)
class Figure:
    """One figure: one row of ``tables/estimates.csv``.

    ``period_start``/``period_end`` (YYYY-MM) are the months the figure is about, which for an
    audit or a published figure differ from the report's year; ``coverage`` says which of the
    period's months the data has (None where months do not apply). ``significant`` and
    ``direction`` ("increase"/"decrease"/"none") are set for comparisons, from the interval
    shown. ``confidence`` is the level of the interval: the run's, or 0.95 for a published one.
    ``method`` is a method code (:class:`peelstats.vocabulary.Methods`) and ``method_args`` the
    numbers its words need; :mod:`peelstats.report.wording.methods` writes them.
    """

    measure: str
    group: str
    estimate: float | None
    lower: float | None = None
    upper: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    method: str = ""
    confidence: float | None = None
    p_value: float | None = None
    flags: tuple[str, ...] = ()
    period_start: str = ""
    period_end: str = ""
    coverage: Coverage | None = None
    significant: bool | None = None
    direction: str | None = None
    method_args: dict = field(default_factory=dict)

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None

    def flagged(self, code: str) -> bool:
        return code in self.flags

    def row(self, method_text=None) -> dict:
        """The estimates row; ``method_text(figure)`` writes the method column (else the
        method code)."""
        cov = self.coverage
        return {
            "measure": self.measure,
            "group": self.group,
            "period_start": self.period_start or (cov.expected[0] if cov else ""),
            "period_end": self.period_end or (cov.expected[-1] if cov else ""),
            "months_with_data": len(cov.present) if cov else None,
            "months_in_period": len(cov.expected) if cov else None,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "method": method_text(self) if method_text else self.method,
            "confidence": self.confidence,
            "p_value": self.p_value,
            "flags": ";".join(dict.fromkeys(self.flags)),
        }


def find(figures, measure: str, group: str = "all") -> Figure | None:
    """The figure for a measure and group, or None."""
    for fig in figures:
        if fig.measure == measure and fig.group == group:
            return fig
    return None


def figures_frame(figures, force: str, period: str, method_text=None) -> pd.DataFrame:
    """Figures as rows of the estimates schema (see ``peelstats.analysis.schema``)."""
    from peelstats.analysis.schema import ESTIMATE_COLUMNS

    rows = [{"force": force, "period": period, **fig.row(method_text)} for fig in figures]
    frame = pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)
    return frame


# ----------------------------------------------------------------------------- JSON


_TYPES: dict[str, type] = {}


def register(cls):
    """Class decorator: a result type that can be read back from JSON."""
    _TYPES[cls.__name__] = cls
    return cls


for _cls in (Caveat, Table, Figure, Coverage):
    register(_cls)


def to_jsonable(obj: Any):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {"_type": type(obj).__name__}
        for f in dataclasses.fields(obj):
            out[f.name] = to_jsonable(getattr(obj, f.name))
        return out
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return num(obj)
    if isinstance(obj, Path):
        return str(obj)
    return obj


def _result_type(name: str) -> type:
    """A registered result type by name; on a miss, every module of the analysis package is
    imported once (each registers its types), so a result reads back in any process."""
    if name not in _TYPES:
        import importlib
        import pkgutil

        import peelstats.analysis as package

        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    if name not in _TYPES:
        raise ValueError(f"unknown result type {name!r}")
    return _TYPES[name]


def from_jsonable(data: Any):
    if isinstance(data, dict) and "_type" in data:
        cls = _result_type(data["_type"])
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name in data:
                value = from_jsonable(data[f.name])
                kwargs[f.name] = _as_declared(value)
        return cls(**kwargs)
    if isinstance(data, dict):
        return {k: from_jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [from_jsonable(v) for v in data]
    return data


def _as_declared(value):
    """Lists inside frozen results are tuples (hashable, immutable)."""
    if isinstance(value, list):
        return tuple(_as_declared(v) for v in value)
    return value


def dumps(result) -> str:
    """A result as deterministic JSON text (sorted keys, LF)."""
    return json.dumps(to_jsonable(result), indent=1, sort_keys=True, allow_nan=False) + "\n"


def loads(text: str):
    return from_jsonable(json.loads(text))


def save(result, folder: Path | str | None, name: str) -> Path | None:
    """Write ``<folder>/results/<name>.json`` (in report runs; nothing when folder is None)."""
    if folder is None:
        return None
    path = Path(folder) / "results" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, dumps(result))
    return path


def load(path: Path | str):
    return loads(Path(path).read_text(encoding="utf-8"))
