"""Imported once by the batch's fork server: the libraries, so every worker forked from it
starts with them imported (see peelstats.run.pool). Nothing that starts threads runs here;
each worker warms its chart renderer after the fork (peelstats.run.batch._worker_init)."""

from __future__ import annotations

import sys

# jsonschema (under altair and nbformat) imports rfc3987_syntax, when installed, only to check
# the "iri" string format, which nothing here validates; its import compiles a grammar and
# takes about 1.1 s, a third of a worker's start. Marking it absent makes jsonschema skip that
# one format checker (it imports it inside `suppress(ImportError)`).
sys.modules.setdefault("rfc3987_syntax", None)

try:
    from peelstats.run.execute import warm_up

    warm_up(imports_only=True)
    import nbformat

    from peelstats.report.html import export_html, html_cell, merge_notebooks

    # nbconvert's templates (jinja compiles them at the first export) and nbformat's schema
    # validator (compiled at the first validation), once for every worker: pure Python work
    export_html(merge_notebooks("<p>warm</p>", [nbformat.v4.new_notebook()]), "warm")
    nbformat.validate(nbformat.v4.new_notebook(cells=[html_cell("<p>warm</p>", "warm")]))
except Exception:  # noqa: BLE001 - a cold worker still works; the first job says what fails
    pass
