"""What ``calibrate`` shows as it goes: a bar over the noise measurement's candidates, a bar per
ABC-SMC generation counting the candidates the acceptor judges (in this process or in the
sampler's workers), pyabc's log lines through the console, and nothing at all when quiet."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import console
from experiments.calibration import outputs, simulate
from experiments.calibration import progress as progress_io
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, settings_of
from experiments.calibration.estimator import Estimator
from experiments.calibration.progress import Tally, generation_bars, pyabc_logs_through_console
from experiments.cli import main
from tests.test_calibration import TINY, write_spec


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bars drawn as on a terminal (pytest's standard error is a file)."""
    monkeypatch.setattr(console, "bars_shown", lambda: True)


def linear(parameters: dict[str, float]) -> dict[str, float]:
    """A model of no cost: each moment a line of the parameters."""
    return {"effect_6": 10 * parameters["consumption.sigma_max"],
            "assets_6": parameters["enterprise.confidence_effect"] / 2}


def test_the_tally_counts_every_candidate_pyabc_simulates(tmp_path: Path, monkeypatch) -> None:
    spec = spec_io.read(write_spec(tmp_path, TINY))
    tallies: list[Tally] = []
    monkeypatch.setattr("experiments.calibration.estimator.Tally",
                        lambda n: tallies.append(Tally(n)) or tallies[-1])
    np.random.seed(0)
    history = Estimator(spec.fitted(), spec.calibration_moments(), linear).run(
        tmp_path / outputs.HISTORY, 8, 3, 1)
    simulated = history.get_all_populations().query("t >= 0").set_index("t")["samples"]
    (tally,) = tallies
    assert [tally.of(t)[0] for t in simulated.index] == simulated.tolist()
    assert all(tally.of(t)[1] >= 8 for t in simulated.index)  # a generation ends at 8
    assert tally.latest() == simulated.index.max()


def test_each_generation_gets_a_bar_of_its_particles_and_candidates(bars, capsys) -> None:
    tally = Tally(3)
    with generation_bars(tally, 4):
        for accepted in (True, False, True, True, False, True):
            tally.judged(0, accepted)
        for _ in range(5):
            tally.judged(1, True)  # a worker may accept more than the population needs
    err = capsys.readouterr().err
    assert "generation 0: 100%" in err and "4/4" in err and "6 candidates" in err
    assert "generation 1: 100%" in err and "5 candidates" in err
    assert "generation 2" not in err and "5/4" not in err


def test_no_bar_off_a_terminal(capsys) -> None:
    tally = Tally(1)
    with generation_bars(tally, 2):
        tally.judged(0, True)
    assert capsys.readouterr().err == ""


def test_pyabc_logs_through_the_console_and_not_when_quiet(capsys) -> None:
    logger = logging.getLogger(progress_io.PYABC_LOGGER)
    with pyabc_logs_through_console():
        logger.info("t: 0, eps: 1.")
        with console.speaking(console.QUIET):
            logger.info("Accepted: 6 / 20")
            logger.warning("a warning")
    assert capsys.readouterr().err == "ABC INFO: t: 0, eps: 1.\nABC WARNING: a warning\n"


class Cheap:
    """A simulator of no cost: the moments are the seed set's first seed."""

    def __init__(self, moments: tuple[spec_io.Moment, ...], settings: spec_io.Settings) -> None:
        self.names, self.seed = [m.name for m in moments], settings.seeds[0]

    def __call__(self, _: dict[str, float]) -> dict[str, float]:
        return dict.fromkeys(self.names, float(self.seed))


def test_the_noise_measurement_counts_its_candidates(tmp_path: Path, bars, monkeypatch,
                                                      capsys) -> None:
    spec = spec_io.read(write_spec(tmp_path, TINY))
    moments = spec.calibration_moments()
    monkeypatch.setattr(simulate, "Simulator", Cheap)
    simulate.noise_bound(moments, settings_of(spec, Options(), moments), spec.fitted())
    err, total = capsys.readouterr().err, 5 * simulate.NOISE_SEED_SETS  # five points of the box
    assert "noise: 100%" in err and f"{total}/{total} " in err


@pytest.mark.slow
def test_quiet_calibration_prints_nothing_and_a_resumed_one_logs_its_generation(
        tmp_path: Path, capsys) -> None:
    spec, out = write_spec(tmp_path, TINY), tmp_path / "run"
    np.random.seed(0)
    assert main(["calibrate", str(spec), "--out", str(out), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["calibrate", str(spec), "--out", str(out), "--generations", "2"]) == 0
    said = capsys.readouterr()
    assert "ABC INFO: t: 1, eps:" in said.err and "measuring" not in said.err
    assert said.out.splitlines()[-1].startswith("posterior written to")
    assert len(pd.read_csv(out / outputs.GENERATIONS)) == 2
