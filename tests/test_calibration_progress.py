"""What ``calibrate`` and ``worlds`` show as they go: a bar over the noise measurement's
candidates, a bar over pyabc's first sample from the prior and one per ABC-SMC generation
counting the candidates the model simulates (in this process or in the sampler's workers),
pyabc's log lines through the console, and nothing at all when quiet."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import console
from experiments.calibration import outputs, simulate, worlds
from experiments.calibration import progress as progress_io
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, settings_of
from experiments.calibration.estimator import Estimator
from experiments.calibration.progress import (
    FIRST_SAMPLE,
    Tally,
    generation_bars,
    pyabc_logs_through_console,
)
from experiments.cli import main
from tests.test_calibration import TINY, write_spec
from tests.test_worlds import BASE, NO_TRAP, write


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
    simulated = history.get_all_populations().set_index("t")["samples"]
    (tally,) = tallies
    assert simulated.index[0] == FIRST_SAMPLE  # pyabc's first sample, from the prior
    assert tally.of(FIRST_SAMPLE) == (simulated[FIRST_SAMPLE], simulated[FIRST_SAMPLE])
    assert [tally.of(t)[0] for t in simulated.index] == simulated.tolist()
    assert all(tally.of(t)[1] >= 8 for t in simulated.index)  # a generation ends at 8
    assert tally.begun(since=FIRST_SAMPLE) == simulated.index.tolist()


def test_each_generation_gets_a_bar_of_its_particles_and_candidates(bars, capsys) -> None:
    tally = Tally(3)
    with generation_bars(tally, 4):
        for _ in range(4):
            tally.count(FIRST_SAMPLE, True)
        for accepted in (True, False, True, True, False, True):
            tally.count(0, accepted)
        for _ in range(5):
            tally.count(1, True)  # a worker may accept more than the population needs
    err = capsys.readouterr().err
    assert "prior sample: 100%" in err and "4 candidates" in err
    assert "generation 0: 100%" in err and "4/4" in err and "6 candidates" in err
    assert "generation 1: 100%" in err and "5 candidates" in err
    assert "generation 2" not in err and "5/4" not in err


def test_a_resumed_run_gets_bars_only_for_the_generations_it_runs(bars, capsys) -> None:
    tally = Tally(4)
    with generation_bars(tally, 2):
        tally.count(2, True)  # generations 0 and 1 were run before, and no first sample
    err = capsys.readouterr().err
    assert "generation 2: " in err
    assert "prior sample" not in err and "generation 0" not in err and "generation 1" not in err


def test_no_bar_off_a_terminal(capsys) -> None:
    tally = Tally(1)
    with generation_bars(tally, 2):
        tally.count(0, True)
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


class Linear:
    """A simulator of no cost for ``compare_worlds``: each moment ten times sigma_max."""

    def __init__(self, moments: tuple[spec_io.Moment, ...]) -> None:
        self.moments = moments

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        return {m.name: 10 * parameters["consumption.sigma_max"] for m in self.moments}


class Steady(Cheap):
    """:class:`Cheap` with little noise: the first seed over 10^7 (an sd of about 0.0005)."""

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        return {name: value / 1e7 for name, value in super().__call__(parameters).items()}


def test_worlds_show_the_noise_the_prior_sample_and_each_generation_once(
        tmp_path: Path, bars, monkeypatch, capsys) -> None:
    narrow = json.loads(json.dumps(BASE))  # a likelihood narrow enough to need two generations
    narrow["moments"]["graduated_6"].update(value=2.0, uncertainty=0.03)
    files = [write(tmp_path, "base.yaml", narrow), write(tmp_path, "no_trap.yaml", NO_TRAP)]
    monkeypatch.setattr(simulate, "Simulator", Steady)
    monkeypatch.setattr(worlds, "checked_simulator", lambda spec, options, targets: (
        settings_of(spec, options, targets), Linear(targets)))
    np.random.seed(0)
    worlds.compare_worlds(files, tmp_path / "out", Options())
    err, total = capsys.readouterr().err, 2 * simulate.NOISE_SEED_SETS  # each world's centre
    assert "measuring the simulations' own noise in each world" in err
    assert "noise: 100%" in err and f"{total}/{total} " in err
    assert "ABC INFO: t: 1, eps:" in err  # pyabc's lines through the console
    for bar in ("prior sample", "generation 0", "generation 1"):
        assert f"{bar}: 100%" in err and "8/8 " in err  # BASE: 8 particles

    worlds.compare_worlds(files, tmp_path / "out", Options(generations=3))  # resumed
    err = capsys.readouterr().err
    assert "generation 2: 100%" in err
    assert all(s not in err for s in ("measuring", "noise", "prior sample", "generation 1"))


QUIET_WORLDS = """
import sys
from pathlib import Path
import numpy as np
from experiments.calibration import worlds_entry
from experiments.cli import main

worlds_entry.CALIBRATION_DIR = Path(sys.argv[1])
np.random.seed(0)
sys.exit(main(sys.argv[2:]))
"""
"""``empowernet`` (its arguments after the first) with the calibration files of a folder (the
first argument); in a process of its own, as pyabc's log handler writes to the standard error
it found when pyabc was imported. pyabc draws from numpy's global generator, seeded here as
in the other calibration tests: unseeded, a world was given exactly two of the eight
particles in some runs, too few to draw its second generation around (a refusal)."""


@pytest.mark.slow
def test_quiet_worlds_print_nothing(tmp_path: Path) -> None:
    write(tmp_path, "default.yaml", BASE)
    write(tmp_path, "no_trap.yaml", {**NO_TRAP, "extends": "default.yaml"})
    done = subprocess.run([sys.executable, "-c", QUIET_WORLDS, str(tmp_path), "worlds", "-q",
                           "--out", str(tmp_path / "out"), "--rank-households", "80",
                           "--rank-months", "24", "--rank-seeds", "1", "--map-draws", "2"],
                          capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[1])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (tmp_path / "out" / "ranking.csv").exists()
