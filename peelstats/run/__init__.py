"""The runner: what starts, schedules, isolates, locks and assembles work.

The command line (:mod:`~peelstats.run.cli`), batches of force x quarter jobs in isolated
worker processes (:mod:`~peelstats.run.batch`, :mod:`~peelstats.run.pool`), the papermill
engines (:mod:`~peelstats.run.execute`, :mod:`~peelstats.run.inprocess`), work folders and locks
(:mod:`~peelstats.run.workspace`), the reviewer's re-run (:mod:`~peelstats.run.verify`) and the
index of a period (:mod:`~peelstats.run.index`). It sits above :mod:`peelstats.report`, which
writes documents and words and imports nothing from here.
"""
