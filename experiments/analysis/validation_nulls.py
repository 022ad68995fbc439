"""The null models validation runs beside the default model, and the calibration of one of them.

A null model is a wrong model on purpose: one mechanism of the default taken out
(``configs/null/NAME.yaml``, selected with ``+null=NAME``). A validation row counts only where
the default passes and at least one null fails (``experiments.analysis.validation``).

The no-trap world (``no_trap``) replaces the trap by one concave technology; left at the
default's productivity it is far richer than the default, so its median productivity is
calibrated, by bisection, until its business-as-usual headcount equals the default's.
``python -m experiments.analysis.validation_nulls --write`` runs the calibration and stores
the result (value, target, achieved, how) in ``configs/null/no_trap.yaml``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agents import EmpowermentModel
from experiments import store
from experiments.config import CONFIG_DIR, load_config
from experiments.null_models import (  # noqa: F401 (NULLS, WORLDS: named here for the validation)
    DEFAULT,
    NULLS,
    WORLDS,
    world_overrides,
)

CALIBRATED_KEY = "population.productivity_median"


@dataclass(frozen=True)
class Calibration:
    """How the no-trap world's median productivity is set: business-as-usual runs of
    ``households`` over ``months``, mean monthly headcount over ``seeds``, bisection on
    [``low``, ``high``] until the bracket is narrower than ``step``."""

    households: int = 2000
    months: int = 120
    seeds: tuple[int, ...] = (0, 1, 2)
    low: float = 0.2
    high: float = 0.85
    step: float = 1e-3

    def headcount(self, overrides: Sequence[str]) -> float:
        """Mean monthly headcount (share of households) under business as usual."""
        values = []
        for seed in self.seeds:
            config = load_config([f"population.households={self.households}",
                                  f"months={self.months}", "threads=1", f"seed={seed}",
                                  *overrides])
            values.append(EmpowermentModel(config).run().results()["headcount"].mean())
        return float(np.mean(values))

    def describe(self) -> str:
        """One line saying how the calibration was run."""
        return (f"bisection of {CALIBRATED_KEY} on [{self.low:g}, {self.high:g}] to "
                f"{self.step:g}, {self.households} households, {self.months} months, seeds "
                f"{', '.join(str(s) for s in self.seeds)}")


@dataclass(frozen=True)
class CalibrationResult:
    """The calibrated value with the target headcount and the headcount it gives."""

    value: float
    target: float
    achieved: float


def no_trap_overrides(productivity_median: float) -> list[str]:
    """The no-trap world with a given median productivity."""
    return [*world_overrides("no_trap"), f"{CALIBRATED_KEY}={productivity_median:.4f}"]


def calibrate_no_trap(calibration: Calibration = Calibration()) -> CalibrationResult:
    """The median productivity at which the no-trap world's business-as-usual headcount
    equals the default's (the headcount falls as productivity rises)."""
    target = calibration.headcount(world_overrides(DEFAULT))
    low, high = calibration.low, calibration.high
    while high - low > calibration.step:
        middle = 0.5 * (low + high)
        if calibration.headcount(no_trap_overrides(middle)) > target:
            low = middle
        else:
            high = middle
    value = round(0.5 * (low + high), 4)
    return CalibrationResult(value, target, calibration.headcount(no_trap_overrides(value)))


NULL_DIR = CONFIG_DIR / "null"
NO_TRAP_FILE = NULL_DIR / "no_trap.yaml"
_VALUE = re.compile(r"^(  productivity_median: )\S+(.*)$", re.MULTILINE)
_RECORD = re.compile(r"^# Calibrated: .*$", re.MULTILINE)


def store_calibration(result: CalibrationResult, calibration: Calibration) -> None:
    """Write the calibrated value and how it was obtained into ``configs/null/no_trap.yaml``."""
    text = NO_TRAP_FILE.read_text(encoding="utf-8")
    record = (f"# Calibrated: {result.value:.4f} gives a headcount of {result.achieved:.4f} "
              f"against the default's {result.target:.4f} ({calibration.describe()}).")
    text = _VALUE.sub(lambda m: f"{m.group(1)}{result.value:.4f}{m.group(2)}", text)
    store.write_text(_RECORD.sub(record, text), NO_TRAP_FILE)


def main(argv: Sequence[str] | None = None) -> int:
    """Calibrate the no-trap world; print the result, store it with ``--write``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="store the result in configs/null/no_trap.yaml")
    args = parser.parse_args(argv)
    calibration = Calibration()
    result = calibrate_no_trap(calibration)
    print(f"{CALIBRATED_KEY} = {result.value:.4f}: headcount {result.achieved:.4f}, "
          f"default {result.target:.4f}")
    if args.write:
        store_calibration(result, calibration)
        print(f"stored in {NO_TRAP_FILE.relative_to(CONFIG_DIR.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
