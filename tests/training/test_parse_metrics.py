"""`parse_metrics` reads metrics.csv exactly as csv.DictReader + `parse_cell` would, cell types included."""

import csv
import io
import math

import pytest

from trainer.training.run_files import metrics_csv, parse_cell, parse_metrics


def by_dict_reader(text: str) -> list[dict]:
    return [{k: parse_cell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def typed(rows: list[dict]) -> list[list]:
    """Rows as comparable (key, type, value) lists, NaN made comparable."""
    return [[(k, type(v).__name__, "nan" if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()]
            for row in rows]


def test_written_cells_of_every_kind_parse_as_the_reference_does():
    notes = ["abc", "done", "1_000", " 12 ", "nan", "-5", "+7", "Infinity", "1e5", "", "E", "-inf"]
    losses = [0.1, 1e-300, 3.5e22, -0.0, math.inf, math.nan, None, 12.0, 2.5e-7]
    rows = [{"epoch": i, "train_loss": losses[i % len(losses)], "lr": 0.08 * i, "note": notes[i % len(notes)]}
            for i in range(60)]
    text = metrics_csv(["epoch", "train_loss", "lr", "note"], rows)
    assert typed(parse_metrics(text)) == typed(by_dict_reader(text))
    assert parse_metrics(text.encode())[3]["note"] == 12 and parse_metrics(text)[1]["note"] == "done"


@pytest.mark.parametrize("text", ["", "a,b\n", "a,b\n1\n", "a,b\n\n1,2\n\n", 'a,b\n"1,5",x\n',
                                  "a,b\n1.5,NaN\n-inf,E\n"])
def test_short_blank_and_odd_files_parse_as_the_reference_does(text):
    assert typed(parse_metrics(text)) == typed(by_dict_reader(text))


@pytest.mark.parametrize("text", ["a,b\n1,2,3\n", "\na,b\n1,2\n"])
def test_rows_longer_than_the_header_fail_as_with_the_reference(text):
    for parse in (by_dict_reader, parse_metrics):
        with pytest.raises(TypeError):
            parse(text)
