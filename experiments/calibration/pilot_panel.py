"""Regenerate the synthetic pilot panel ``data/pilot_panel.csv`` from known parameters.

    python -m experiments.calibration.pilot_panel [--out FILE] [--households N] [--seed S]

The known parameters are the model's defaults of the keys ``configs/calibration/pilot.yaml``
estimates. A synthetic province of ``--households`` households runs the graduation scenario
and business as usual with the same seed; the households the programme enrolled that were
clients at month 0 (surveyed at baseline) are split by lot: one half is written as treated
(from the programme's run), the other as the comparison group (the same households under
business as usual, which is what a lottery's losers are).
Each household is surveyed at months 0, 12 and 24 while it is still a client.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import store
from experiments.calibration import spec as spec_io
from experiments.calibration.panel import NO_PROGRAMME, offered, simulated_panel
from experiments.calibration.simulate import BASELINE, base_config, run
from experiments.config import CONFIG_DIR
from model.params import describe
from model.state import LEFT

PILOT_SPEC = CONFIG_DIR / "calibration" / "pilot.yaml"
PROGRAMME = "graduation"
SURVEY_MONTHS = (0, 12, 24)


PROVINCE = 850
"""Households of the synthetic province the committed panel is drawn from."""
SEED = 7
"""Seed of the committed panel's runs and lot."""


def known_parameters(spec: spec_io.CalibrationSpec) -> dict[str, float]:
    """The true values behind the pilot panel: the defaults of the estimated keys."""
    defaults = {row["key"]: row["default"] for row in describe()}
    return {p.key: float(defaults[p.key]) for p in spec.parameters}


def pilot_panel(households: int, seed: int, spec: spec_io.CalibrationSpec) -> pd.DataFrame:
    """The synthetic pilot panel (household ids ``P0001``...)."""
    settings = replace(spec.settings, households=households, months=max(SURVEY_MONTHS),
                       seeds=(seed,), overrides=())
    truth = known_parameters(spec)
    programme = run(base_config(PROGRAMME, settings, SURVEY_MONTHS), seed, truth)
    usual = run(base_config(BASELINE, settings, SURVEY_MONTHS), seed, truth)
    enrolled = offered(programme)
    enrolled = enrolled[programme[0]["status"].cat.codes.to_numpy()[enrolled] < LEFT]
    winners = np.random.default_rng(seed).random(enrolled.size) < 0.5
    frame = pd.concat([simulated_panel(programme, enrolled[winners], PROGRAMME),
                       simulated_panel(usual, enrolled[~winners], NO_PROGRAMME)])
    frame = frame.sort_values(["household_id", "month"], kind="stable")
    ids = {h: f"P{k + 1:04d}" for k, h in enumerate(frame["household_id"].unique())}
    return frame.assign(household_id=frame["household_id"].map(ids),
                        consumption_z=frame["consumption_z"].round(3),
                        income_z=frame["income_z"].round(3),
                        assets_z=frame["assets_z"].round(3))


def main() -> None:
    """Write the pilot panel."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="data/pilot_panel.csv", help="CSV file to write")
    parser.add_argument("--households", type=int, default=PROVINCE,
                        help="households of the synthetic province the pilot is drawn from")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the runs and the lot")
    args = parser.parse_args()
    frame = pilot_panel(args.households, args.seed, spec_io.read(PILOT_SPEC))
    store.write_text(frame.to_csv(index=False), Path(args.out))
    print(f"pilot panel of {frame['household_id'].nunique()} households written to {args.out}")


if __name__ == "__main__":
    main()
