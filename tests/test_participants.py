"""The split of an effect into participants and non-participants after a burn-in, with new
households entering: in each seed the two groups' effects weighted by their counts are the
results table's effect on all clients; over seeds the means differ by the covariance of the
participants' share with the gap between the groups' effects, and by nothing else."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import load_config, run_one
from experiments.analysis.compare import compare
from experiments.analysis.participants import PER_HOUSEHOLD, group_differences, snapshots
from experiments.collect import COLLECTED

# job matching by lottery among the eligible: after the burn-in they are a minority whose
# size varies from seed to seed, so the participants' share does too
WORLD = ["population.households=400", "months=12", "labour.p_find=0.5",
         "labour.job_slots_per_1000=10", "labour.enterprise_hiring=0",
         "outputs.snapshot_months=[0,6]"]
MATCHING = ["label=matching", "programmes.job_matching.enabled=true",
            "programmes.job_matching.targeting=lottery", "programmes.job_matching.coverage=0.5",
            "programmes.job_matching.unit_cost_z=0"]
SEEDS = range(4)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("participants")
    config = load_config(WORLD)
    assert config.population.burn_in_months > 0 and config.status.p_entry > 0
    for seed in SEEDS:
        for name, extra in (("base", []), ("arm", MATCHING)):
            run_one(load_config([*WORLD, f"seed={seed}", *extra]), folder / f"{name}{seed}")
    return folder


def per_seed(sweep_dir) -> list[dict[str, float]]:
    """Each seed's group effects at month 12 (``group_differences``)."""
    return [group_differences(snapshots(sweep_dir / f"arm{seed}")[12],
                              snapshots(sweep_dir / f"base{seed}")[12]) for seed in SEEDS]


@pytest.mark.slow
def test_in_each_seed_the_groups_weighted_by_their_counts_are_the_net_effect(sweep_dir) -> None:
    compare(sweep_dir, months=[12])
    results = pd.read_parquet(sweep_dir / COLLECTED).set_index(["scenario", "seed", "month"])
    entrants = 0
    for seed, groups in zip(SEEDS, per_seed(sweep_dir), strict=True):
        arm, base = results.loc[("matching", seed, 12)], results.loc[("baseline", seed, 12)]
        share = groups["participants_share"]
        assert 0.0 < share < 0.5
        for outcome in PER_HOUSEHOLD:
            weighted = share * groups[f"{outcome}/participants"] + \
                (1 - share) * groups[f"{outcome}/non_participants"]
            assert weighted == pytest.approx(arm[outcome] - base[outcome], abs=1e-12), outcome
        entrants += int(snapshots(sweep_dir / f"arm{seed}")[0]["status"].eq("pending").sum())
    assert entrants > 0  # households entered during the counted months


@pytest.mark.slow
def test_over_seeds_the_split_differs_from_the_net_effect_by_a_covariance(sweep_dir) -> None:
    table, _ = compare(sweep_dir, months=[12])
    seeds = per_seed(sweep_dir)
    share = np.array([s["participants_share"] for s in seeds])
    assert share.std() > 0  # the share varies from seed to seed
    for row in table[table["participants_effect"].notna()].itertuples():
        gap = np.array([s[f"{row.outcome}/participants"] - s[f"{row.outcome}/non_participants"]
                        for s in seeds])
        weighted = row.participants_share * row.participants_effect + \
            (1 - row.participants_share) * row.non_participants_effect
        covariance = np.mean((share - share.mean()) * (gap - gap.mean()))
        assert row.effect - weighted == pytest.approx(covariance, abs=1e-12), row.outcome
