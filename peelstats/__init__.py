"""peelstats: defensible statistics for police stop and search and inspection audits.

Layers (each knows nothing of the ones beside it except through plain tables):

- ``peelstats.stats``: counts in, intervals and tests out; knows nothing about police data.
- ``peelstats.data``: reads, validates and normalises police.uk, Census and Home Office files;
  knows nothing about statistics.
- ``peelstats.analysis``: joins the two into tidy estimate tables for the notebooks.
"""

__version__ = "0.1.0"
