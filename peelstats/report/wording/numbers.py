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


def ci(lower, upper, confidence, unit: str = "", digits: int = 1, scale: float = 1.0) -> str:
    """'95% confidence interval 71.6 to 81.9 percent' (both limits, never '+/-')."""
    lo, hi = _finite(lower) * scale, _finite(upper) * scale
    return (
        f"{conf(confidence)} confidence interval {fixed(lo, digits)} to {fixed(hi, digits)}{unit}"
    )


def ci_pct(lower, upper, confidence, digits: int | None = None) -> str:
    d = _digits_for(_finite(lower) * 100, _finite(upper) * 100) if digits is None else digits
    return ci(lower, upper, confidence, " percent", d, 100)


def pct_digits(*shares) -> int:
    """Decimals at which every share (0-1) prints distinctly and none non-zero prints as 0."""
    return _digits_for(*(_finite(x) * 100 for x in shares))


def ci_short(lower, upper, digits: int = 1, scale: float = 1.0, unit: str = "") -> str:
    """'71.6 to 81.9' for tables; an en dash when there is no interval."""
    if lower is None or upper is None:
        return "–"
    return f"{fixed(lower * scale, digits)} to {fixed(upper * scale, digits)}{unit}"
