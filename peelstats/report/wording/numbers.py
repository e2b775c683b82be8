"""Numbers as words: fixed digits, signed differences, whole counts, percentages and intervals
whose shown digits agree with the verdict beside them.
"""

from __future__ import annotations

import math

# ----------------------------------------------------------------------------- numbers


class WordingError(ValueError):
    """A number that must not be written (missing or not finite) reached a sentence."""


def _finite(value, what: str = "value") -> float:
    if value is None:
        raise WordingError(f"{what} is missing")
    x = float(value)
    if not math.isfinite(x):
        raise WordingError(f"{what} is not finite ({value!r})")
    return x


def fixed(value, digits: int = 1) -> str:
    """A number with ``digits`` decimals; never '-0.0'."""
    x = _finite(value)
    text = f"{x:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text


def signed(value, digits: int = 1) -> str:
    """+1.2 / -1.2, and 0.0 rather than -0.0 or +0.0."""
    text = fixed(value, digits)
    if float(text.replace(",", "")) == 0:
        return text
    return text if text.startswith("-") else "+" + text


def whole(value) -> str:
    """2,068."""
    return f"{int(round(_finite(value))):,}"


def conf(confidence) -> str:
    """0.95 -> '95%'; 0.995 -> '99.5%'."""
    c = _finite(confidence, "confidence") * 100
    return f"{round(c, 4):g}%"


def share_words(share) -> str:
    """0.562 -> '56%' (a share of records, for caveats)."""
    x = _finite(share) * 100
    if 0 < x < 1:
        return "less than 1%"
    if 99 < x < 100:
        return "more than 99%"
    return f"{x:.0f}%"


def _digits_for(*values, base: int = 1, most: int = 3) -> int:
    """Decimals (from ``base`` up to ``most``) at which distinct values print distinctly and
    non-zero values do not print as zero."""
    xs = [_finite(v) for v in values]
    for digits in range(base, most + 1):
        texts = [fixed(x, digits) for x in xs]
        zero_shown = any(
            x != 0 and float(t.replace(",", "")) == 0 for x, t in zip(xs, texts, strict=True)
        )
        clash = len(set(texts)) < len(set(xs))
        if not zero_shown and not clash:
            return digits
    return most


def _pct_text(x: float, d: int, unit: str) -> str:
    """x (in percent) with d decimals; a non-zero value too small to show is 'less than'."""
    text = fixed(x, d)
    if x != 0 and float(text.replace(",", "")) == 0:
        return f"less than {10**-d:.{d}f}{unit}"
    return text + unit


def pct(p, digits: int | None = None, word: bool = True) -> str:
    """0.7717 -> '77.2 percent' (or '77.2%'); enough decimals that a non-zero share never
    prints as 0.0 (below 0.001 percent it is 'less than 0.001 percent')."""
    x = _finite(p) * 100
    d = _digits_for(x) if digits is None else digits
    return _pct_text(x, d, " percent" if word else "%")


def pct_pair(a, b, word: bool = True) -> tuple[str, str]:
    """Two shares written with enough decimals to tell them apart."""
    d = _digits_for(_finite(a) * 100, _finite(b) * 100)
    unit = " percent" if word else "%"
    return _pct_text(a * 100, d, unit), _pct_text(b * 100, d, unit)


def _num(text: str) -> float:
    return float(text.replace(",", "").removeprefix("+"))


def interval_digits(
    lower, upper, digits: int = 1, *, null: float | None = None, significant: bool | None = None,
    estimate=None, most: int = 10,
) -> int:  # fmt: skip
    """The fewest decimals, from ``digits`` up to ``most``, at which an interval as printed
    tells the truth: its two ends differ; an end that is not 0 does not print as 0; the estimate
    (when given) prints within the ends; and, where a comparison has a ``null`` value (0 for a
    difference, 1 for a ratio) and a verdict, the printed ends agree with the verdict (a
    significant interval printed clear of the null, a non-significant one printed around it).
    Values are in the units printed (already scaled)."""
    lo, hi = _finite(lower), _finite(upper)
    est = None if estimate is None else _finite(estimate)

    def plain(d: int) -> bool:
        a, b = _num(fixed(lo, d)), _num(fixed(hi, d))
        ok = (a != b or lo == hi) and not ((lo > 0 and a == 0) or (hi != 0 and b == 0))
        return ok and (est is None or a <= _num(fixed(est, d)) <= b)

    def agrees(d: int) -> bool:
        if null is None or significant is None:
            return True
        a, b = _num(fixed(lo, d)), _num(fixed(hi, d))
        return (a > null or b < null) if significant else a <= null <= b

    for test in (lambda d: plain(d) and agrees(d), plain):
        for d in range(digits, most + 1):
            if test(d):
                return d
    return digits


def ci(
    lower, upper, confidence, unit: str = "", digits: int = 1, scale: float = 1.0, *,
    null: float | None = None, significant: bool | None = None, estimate=None,
) -> str:  # fmt: skip
    """'95% confidence interval 71.6 to 81.9 percent' (both limits, never '+/-'), with enough
    decimals that the printed interval tells the truth (:func:`interval_digits`)."""
    lo, hi = _finite(lower) * scale, _finite(upper) * scale
    est = None if estimate is None else _finite(estimate) * scale
    d = interval_digits(lo, hi, digits, null=null, significant=significant, estimate=est)
    return f"{conf(confidence)} confidence interval {fixed(lo, d)} to {fixed(hi, d)}{unit}"


def ci_pct(lower, upper, confidence, digits: int | None = None, **verdict) -> str:
    d = _digits_for(_finite(lower) * 100, _finite(upper) * 100) if digits is None else digits
    return ci(lower, upper, confidence, " percent", d, 100, **verdict)


def estimate_and_ci(
    estimate, lower, upper, confidence, unit: str = "", digits: int = 1, scale: float = 1.0, *,
    null: float | None = None, significant: bool | None = None, sign: bool = False,
) -> tuple[str, str]:  # fmt: skip
    """An estimate and its interval printed with the same decimals, chosen as in :func:`ci`:
    ('1.04', '95% confidence interval 1.01 to 1.08')."""
    est, lo, hi = (_finite(v) * scale for v in (estimate, lower, upper))
    d = interval_digits(lo, hi, digits, null=null, significant=significant, estimate=est)
    shown = signed(est, d) if sign else fixed(est, d)
    return shown, f"{conf(confidence)} confidence interval {fixed(lo, d)} to {fixed(hi, d)}{unit}"


def pct_digits(*shares) -> int:
    """Decimals at which every share (0-1) prints distinctly and none non-zero prints as 0."""
    return _digits_for(*(_finite(x) * 100 for x in shares))


def ci_short(
    lower, upper, digits: int = 1, scale: float = 1.0, unit: str = "", *,
    null: float | None = None, significant: bool | None = None, estimate=None,
) -> str:  # fmt: skip
    """'71.6 to 81.9' for tables (decimals as :func:`interval_digits` chooses them, from
    ``digits``); an en dash when there is no interval."""
    if lower is None or upper is None:
        return "–"
    lo, hi = _finite(lower) * scale, _finite(upper) * scale
    est = None if estimate is None else _finite(estimate) * scale
    d = interval_digits(lo, hi, digits, null=null, significant=significant, estimate=est)
    return f"{fixed(lo, d)} to {fixed(hi, d)}{unit}"


def as_published(value: float, least: int = 1) -> str:
    """A published figure with the decimals it was published with (2.4, 12.7, 5.0; at least
    ``least``), never more: its precision is the inspectorate's."""
    text = repr(float(value))
    decimals = 0 if text.endswith(".0") else len(text.partition(".")[2])
    return f"{float(value):,.{max(decimals, least)}f}"
