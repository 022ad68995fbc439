"""Per-family advice: exact allocation within budget, better than chance, clear roster errors."""

from __future__ import annotations

import itertools
import subprocess

import numpy as np
import pandas as pd
import pytest

from experiments.analysis.advise import NONE, advise, allocate
from experiments.config import PROJECT_ROOT
from tests.helpers import CLI


def expected(summary: pd.DataFrame, allocation: pd.Series, what: str) -> float:
    table = summary.set_index(["household_id", "package"])
    return sum(table.loc[(h, p), what] for h, p in allocation.items())


def test_allocation_is_the_exact_optimum_of_a_small_case() -> None:
    rng = np.random.default_rng(3)
    rows = [{"household_id": h, "package": p, "p_sustained_graduation": rng.uniform(0, 1),
             "cost": 0.0 if p == NONE else float(rng.integers(1, 8))}
            for h in range(5) for p in (NONE, "a", "b")]
    summary = pd.DataFrame(rows)
    budget = 10.0
    allocation = allocate(summary, budget)
    table = summary.set_index(["household_id", "package"])
    best = max((sum(table.loc[(h, p), "p_sustained_graduation"] for h, p in enumerate(pick)),
                pick) for pick in itertools.product((NONE, "a", "b"), repeat=5)
               if sum(table.loc[(h, p), "cost"] for h, p in enumerate(pick)) <= budget)
    assert expected(summary, allocation, "p_sustained_graduation") == pytest.approx(best[0])
    assert expected(summary, allocation, "cost") <= budget


@pytest.fixture(scope="module")
def small_roster(tmp_path_factory):
    roster = pd.read_csv(PROJECT_ROOT / "data" / "pilot_roster.csv").head(40)
    path = tmp_path_factory.mktemp("advise") / "cohort.csv"
    roster.to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_advice_respects_the_budget_and_beats_random_allocation(small_roster, tmp_path):
    budget = 400.0
    wide = advise(small_roster, budget, tmp_path, packages=["asset_grant", "training"],
                  replications=3, months=30)
    assert len(wide) == 40 and (tmp_path / "advice.csv").is_file()
    assert "<h1>Advice for cohort.csv</h1>" in (tmp_path / "advice.html").read_text()
    chosen = wide.set_index("household_id")["allocated_package"]
    cost = sum(wide.set_index("household_id").loc[h, f"cost_{p}"]
               for h, p in chosen.items() if p != NONE)
    assert cost <= budget
    gain = sum(wide.set_index("household_id").loc[h, f"p_sustained_graduation_{p}"]
               for h, p in chosen.items())
    rng = np.random.default_rng(0)
    table = wide.set_index("household_id")
    for _ in range(50):  # random allocations within the same budget do no better
        left, value = budget, 0.0
        for h in rng.permutation(table.index):
            p = rng.choice(["asset_grant", "training", NONE])
            if p != NONE and table.loc[h, f"cost_{p}"] <= left:
                left -= table.loc[h, f"cost_{p}"]
            else:
                p = NONE
            value += table.loc[h, f"p_sustained_graduation_{p}"]
        assert value <= gain + 1e-9


@pytest.mark.slow
def test_a_bad_roster_gets_the_roster_readers_error(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("household_id,size,assets_z\nA,three,5\n")
    done = subprocess.run([CLI, "advise", str(bad), "--budget-total", "100", "--out",
                           str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "line 2, column 'size': 'three' is not a number" in done.stderr
