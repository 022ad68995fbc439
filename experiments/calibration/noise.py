"""How the simulations' own noise varies over the prior box: each calibrate moment's standard
deviation over ``NOISE_SEED_SETS`` seed sets at the centre of the prior and at four corners
(``experiments.calibration.simulate.box_points``); ``calibrate`` takes the largest.

    python -m experiments.calibration.noise [FILE] [--households N] [--seeds N] [--out CSV]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from experiments import store
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, settings_of
from experiments.calibration.entry import DEFAULT_FILE
from experiments.calibration.simulate import noise_over_box


def noise_table(spec: spec_io.CalibrationSpec, settings: spec_io.Settings) -> pd.DataFrame:
    """Per point of the box and calibrate moment: the simulations' noise sd."""
    over_box = noise_over_box(spec.calibration_moments(), settings, spec.fitted())
    return pd.DataFrame.from_dict(over_box, orient="index").rename_axis("point")


def main() -> None:
    """The noise table from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    parser.add_argument("--households", type=int)
    parser.add_argument("--seeds", type=int)
    parser.add_argument("--out", help="CSV file to write the table to")
    args = parser.parse_args()
    spec = spec_io.read(args.file)
    settings = settings_of(spec, Options(households=args.households, seeds=args.seeds),
                           spec.calibration_moments())
    table = noise_table(spec, settings)
    print(table.to_string(float_format="%.3g"))
    if args.out:
        store.write_text(table.to_csv(), Path(args.out))


if __name__ == "__main__":
    main()
