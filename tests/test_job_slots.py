"""Labour demand in runs: no scenario adds jobs unless it is the job programme, which pays for
them, and client enterprises open slots."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from empowernet import ConfigError, EmpowermentModel
from experiments import load_config
from model.month import open_market_slots

SCENARIOS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "configs" /
                                    "scenario").glob("*.yaml"))
HOUSEHOLDS = 1000


def test_scenarios_library_is_found() -> None:
    assert {"baseline", "training", "jobs_and_incubation"} <= set(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_scenario_changes_job_slots_unless_it_is_the_job_programme(scenario) -> None:
    baseline = load_config(["scenario=baseline"])
    cfg = load_config([f"scenario={scenario}"])
    slots = open_market_slots(cfg, HOUSEHOLDS), cfg.labour.enterprise_hiring
    same = (open_market_slots(baseline, HOUSEHOLDS), baseline.labour.enterprise_hiring)
    if cfg.programmes.job_matching.enabled:
        assert slots[0] >= same[0] and slots[1] == same[1]
    else:
        assert slots == same, f"scenario {scenario} changes the wage-job slots"


def test_added_slots_without_the_job_programme_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"institutions\.job_slots.*job_matching"):
        load_config(["scenario=training", "institutions.job_slots=1.0"])


def test_added_slots_the_budget_cannot_pay_for_are_refused() -> None:
    # 2 slots per 1,000 households a month at 18 z for 120 months: 4.32 z per household
    with pytest.raises(ConfigError, match=r"4\.32 z per household over 120 months"):
        load_config(["scenario=empowerment_network", "months=120",
                     "budget.per_household_z=4"])


def test_the_job_programme_pays_for_the_slots_its_firms_add() -> None:
    # 2 slots per 1,000 households a month for 500 households = 1 slot a month, at 18 z each
    common = ["population.households=500", "months=3", "seed=1",
              "programmes.job_matching.enabled=true", "programmes.job_matching.unit_cost_z=0"]
    without = EmpowermentModel(load_config(common)).run().results()
    added = EmpowermentModel(load_config([*common, "institutions.job_slots=2.0"])).run().results()
    extra = added["spending_job_matching"] - without["spending_job_matching"]
    assert extra.tolist()[1:] == pytest.approx([18.0] * 3)
    assert (added["job_slots"] - without["job_slots"]).tolist()[1:] == [1, 1, 1]


def test_client_enterprises_open_slots_in_proportion_to_their_number() -> None:
    common = ["population.households=2000", "months=24", "seed=3", "labour.p_find=0.5"]
    closed = EmpowermentModel(load_config([*common, "labour.enterprise_hiring=0"])).run()
    hiring = EmpowermentModel(load_config([*common, "labour.enterprise_hiring=0.05"])).run()
    extra = (hiring.results()["job_slots"] - closed.results()["job_slots"]).iloc[1:].sum()
    # about 0.05 slots per enterprise-month, enterprises counted in the month before
    enterprises = (hiring.results()["share_enterprise_high"] *
                   hiring.results()["households_active"]).iloc[:-1].sum()
    assert extra == pytest.approx(0.05 * enterprises, abs=1.0)
    assert hiring.results()["wage_jobs"].iloc[-1] > closed.results()["wage_jobs"].iloc[-1]
    assert np.all(hiring.results()["jobs_filled"] <= hiring.results()["job_slots"])
