"""Collect the examples in this folder's docstrings as doctests.

Each example shows a value from a publication or a peer package, named beside it. Only the
modules here are collected, so the test run needs no ``--doctest-modules`` (which would import
every module under the test paths as a doctest module). ``pytest peelstats/stats`` runs them.
"""

from __future__ import annotations


def pytest_collect_file(file_path, parent):
    config = parent.config
    if file_path.suffix != ".py" or file_path.name == "conftest.py":
        return None
    if config.option.doctestmodules:  # pytest's own doctest collection is already on
        return None
    doctest_plugin = config.pluginmanager.getplugin("doctest")
    return doctest_plugin.DoctestModule.from_parent(parent, path=file_path)
