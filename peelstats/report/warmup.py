"""Imported once by the batch's fork server: the libraries, so every worker forked from it
starts with them imported (see peelstats.report.pool). Nothing that starts threads runs here;
each worker warms its chart renderer after the fork (peelstats.report.batch._worker_init)."""

from __future__ import annotations

try:
    from peelstats.report.execute import warm_up

    warm_up(imports_only=True)
    from peelstats.report.html import _exporter

    _exporter()  # nbconvert's templates, compiled once for every worker
except Exception:  # noqa: BLE001 - a cold worker still works; the first job says what fails
    pass
