"""Outcome statistics against exact computation from the household table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from empowernet import EmpowermentModel
from model.diagnosis import CONSTRAINTS


def exact_gini(x: np.ndarray) -> float:
    x = np.sort(x)
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def test_monthly_outcomes_match_the_household_table() -> None:
    m = EmpowermentModel(households=3000, months=24, rng=11).run()
    frame = m.household_frame()
    active = frame[frame["status"] != "left"]
    c = active["consumption"] / active["size"]
    row = m.results().iloc[-1]
    assert row["households_active"] == len(active)
    assert row["headcount"] == pytest.approx((c < 1).mean(), rel=1e-12)
    assert row["poverty_gap"] == pytest.approx(np.clip(1 - c, 0, None).mean(), rel=1e-12)
    assert row["poverty_severity"] == pytest.approx((np.clip(1 - c, 0, None) ** 2).mean(),
                                                    rel=1e-12)
    assert row["consumption_pc_mean"] == pytest.approx(c.mean(), rel=1e-12)
    assert row["assets_mean"] == pytest.approx(active["assets"].mean(), rel=1e-12)
    # binned statistics: within a bin's width (1.6 %) of the exact values
    assert row["consumption_pc_median"] == pytest.approx(np.median(c), rel=0.016)
    assert row["assets_median"] == pytest.approx(np.median(active["assets"]), rel=0.016)
    assert row["gini_consumption"] == pytest.approx(exact_gini(c.to_numpy()), abs=0.003)
    shares = row[["share_none", "share_casual", "share_enterprise_low",
                  "share_enterprise_high", "share_wage_job"]]
    assert shares.sum() == pytest.approx(1.0)
    assert row["graduated"] == (active["status"] == "graduated").sum()


def oecd_modified(adults: pd.Series, children: pd.Series, elderly: pd.Series) -> pd.Series:
    """Adult equivalents: 1 for the first adult (elderly count as adults), 0.5 for each other
    adult, 0.3 for each child; with no adult, the first child counts 1."""
    grown = adults + elderly
    return np.where(grown > 0, 1 + 0.5 * (grown - 1) + 0.3 * children, 1 + 0.3 * (children - 1))


def test_consumption_per_adult_equivalent_uses_the_oecd_modified_scale() -> None:
    m = EmpowermentModel(households=3000, months=6, rng=5).run()
    frame = m.household_frame()
    active = frame[frame["status"] != "left"]
    scale = oecd_modified(active["adults"], active["children"], active["elderly"])
    # e.g. two adults, one elderly member and two children: 1 + 0.5 * 2 + 0.3 * 2 = 2.6
    assert oecd_modified(pd.Series([2]), pd.Series([2]), pd.Series([1]))[0] == pytest.approx(2.6)
    row = m.results().iloc[-1]
    assert row["consumption_ae_mean"] == pytest.approx(
        (active["consumption"] / scale).mean(), rel=1e-12)
    assert row["consumption_ae_mean"] > row["consumption_pc_mean"]  # fewer equivalents


def test_binding_constraint_is_the_first_that_holds() -> None:
    m = EmpowermentModel(households=6, months=1, rng=1,
                         overrides={"population.burn_in_months": 0, "status.p_entry": 0.0})
    s = m.state
    s.field("consumption")[:] = 0.5 * s.field("size")  # everyone poor
    s.field("assets")[:] = 50.0
    s.field("confidence")[:] = 0.9
    s.field("culture")[:] = 0.9
    s.field("skill")[:] = 0.9
    s.field("assets")[0] = 5.0
    s.field("confidence")[1] = 0.1
    s.field("culture")[2] = 0.1
    s.field("skill")[3] = 0.05
    s.field("last_shock_month")[4] = 0
    frame = m.household_frame()
    assert list(frame["binding_constraint"]) == list(CONSTRAINTS)
    s.field("consumption")[:] = 5.0 * s.field("size")  # nobody poor
    assert m.household_frame()["binding_constraint"].isna().all()
    assert m.binding_constraints().sum() == 0
