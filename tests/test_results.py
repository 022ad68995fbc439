"""The results table follows its column declaration, and the newest month is read alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from empowernet import EmpowermentModel
from experiments import load_config
from model import record, results
from model.results import NAMED, MonthlyResults


def network_run(months: int, *overrides: str) -> EmpowermentModel:
    """A model of the empowerment-network scenario (every institution at work)."""
    return EmpowermentModel(load_config(["scenario=empowerment_network",
                                         "population.households=150", f"months={months}",
                                         *overrides]))


def test_a_validated_run_reads_each_month_once(monkeypatch) -> None:
    spans: list[int] = []

    class CountedMonths(results.Months):
        def __init__(self, table: MonthlyResults, lo: int, hi: int) -> None:
            spans.append(hi - lo)
            super().__init__(table, lo, hi)

    def no_table(self: MonthlyResults) -> None:
        raise AssertionError("the whole results table was built during the run")

    monkeypatch.setattr(results, "Months", CountedMonths)
    monkeypatch.setattr(MonthlyResults, "frame", no_table)
    months = 24
    model = network_run(months, "validate=true").run()
    assert model.month == months
    assert sum(spans) <= 2 * (months + 1), "the checks re-read earlier months"


def test_the_newest_values_are_the_last_row_of_the_table() -> None:
    model = network_run(6)
    for _ in range(6):
        model.step()
        row = model.results().iloc[-1]
        for name in NAMED:
            np.testing.assert_equal(model.results_table.latest(name), float(row[name]),
                                    err_msg=name)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """The results of a finished 12-month run."""
    return network_run(12).run().results()


def test_the_table_has_the_declared_columns_and_dtypes(table) -> None:
    assert list(table.columns) == list(NAMED)
    for name, (column, _) in NAMED.items():
        assert table[name].dtype == (np.int64 if column.count else np.float64), name


def test_cumulative_columns_are_running_sums_of_their_month(table) -> None:
    for name in ("graduations", "spending_pension", "spending_training"):
        assert np.array_equal(table[f"{name}_cumulative"], np.cumsum(table[name]))


def test_chunks_are_added_up_in_chunk_order_as_numpy_sums_them() -> None:
    # chunk after chunk is not numpy's pairwise sum along a row: values over ten orders of
    # magnitude tell the two apart
    rng = np.random.default_rng(2)
    scale = 10.0 ** rng.integers(-5, 5, size=(20, record.N_HIST, record.N_BINS))
    hist = rng.standard_normal((20, record.N_HIST, record.N_BINS)) * scale
    acc = hist[:, 0, :record.N_ACC].copy()
    acc_total = np.zeros(record.N_ACC)
    assert np.array_equal(record.chunk_totals(acc, hist, acc_total), hist.sum(axis=0))
    assert np.array_equal(acc_total, acc.sum(axis=0))


def test_a_chunk_without_active_households_has_empty_histograms() -> None:
    # what clear_chunk and chunk_totals rely on to skip such a chunk's histograms: with new
    # clients entering, the chunks of rows not entered yet stay empty for months
    m = EmpowermentModel(households=6000, months=120, rng=4)
    for _ in range(3):
        m.step()
        empty = m.acc[:, record.A_ACTIVE] == 0.0
        assert empty.any() and not empty.all()
        assert not m.hist[empty].any()
