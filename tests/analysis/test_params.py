"""Notebook parameters are validated before any analysis runs (papermill does not)."""

import pytest

from peelstats.analysis.params import validate
from peelstats.errors import ParameterError


def test_valid_parameters_are_normalised():
    p = validate("durham", "2021Q3")
    assert p.force == "durham" and p.force_name == "Durham"
    assert p.period.label == "2021Q3" and p.output_dir is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"force": "durhm", "period": "2021Q3"}, "durham"),  # suggests the close match
        ({"force": "../etc", "period": "2021Q3"}, "force"),
        ({"force": "dur/ham", "period": "2021Q3"}, "force"),
        ({"force": "durham", "period": "2021Q5"}, "YYYYQn"),
        ({"force": "durham", "period": "2021Q3", "ethnicity_definition": "both"}, "ethnicity"),
        ({"force": "durham", "period": "2021Q3", "confidence": 1.5}, "confidence"),
        ({"force": "durham", "period": "2021Q3", "confidence": "95%"}, "confidence"),
        ({"force": "durham", "period": "2021Q3", "chart_renderer": "mimetype"}, "chart_renderer"),
        ({"force": "durham", "period": "2021Q3", "data_source": "nowhere/at/all"}, "data_source"),
    ],
)
def test_bad_parameters_stop_with_a_message_naming_the_parameter(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        validate(**kwargs)
