"""A calibration whose last generation cannot be extended (nearly all its weight on particles
along fewer directions than its parameters) is refused when ``--generations`` is raised over
it, with a message naming the generation, its effective sample size and the world, and the
history is left as it was; one particle carrying nearly all the weight is no reason by itself.
A fresh calibration whose moments are too narrow for its particles stops the same way, or on
weights that overflow, with status 2 and its finished generations kept."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
import pytest
from pyabc.weighted_statistics import effective_sample_size

from experiments.calibration import command, estimator, outputs, simulate, worlds
from experiments.calibration.command import Options, settings_of
from experiments.cli import main
from model.params import ConfigError
from tests.test_calibration import TINY, write_spec
from tests.test_calibration_progress import Linear, Steady, linear
from tests.test_worlds import BASE, NO_TRAP, write

NARROW = 0.1
"""A moment uncertainty so small that a few particles take nearly all of a generation's
weight."""


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulators of no cost: the noise measurement's nearly noiseless, the estimator's a line
    of the parameters (:func:`linear` for a calibration, :class:`Linear` for the worlds)."""
    monkeypatch.setattr(simulate, "Simulator", Steady)
    monkeypatch.setattr(command, "checked_simulator", lambda spec, options, targets: (
        settings_of(spec, options, targets), linear))
    monkeypatch.setattr(worlds, "checked_simulator", lambda spec, options, targets: (
        settings_of(spec, options, targets), Linear(targets)))


TINIER = 0.001
"""A moment uncertainty so small that a generation's weights overflow or collapse."""


def narrow_calibration(folder: Path, uncertainty: float = NARROW) -> Path:
    """TINY with both moments' ``uncertainty``."""
    tree = json.loads(json.dumps(TINY))
    for name in ("effect_6", "assets_6"):
        tree["moments"][name]["uncertainty"] = uncertainty
    return write_spec(folder, tree)


def calibrate(spec: Path, out: Path, generations: int) -> int:
    """``empowernet calibrate`` of ``spec`` into ``out`` with 8 particles."""
    return main(["calibrate", str(spec), "--out", str(out), "--population-size", "8",
                 "--generations", str(generations)])


def test_extending_a_calibration_whose_particles_lie_on_a_line_is_refused_with_status_2(
        tmp_path: Path, stand_ins, capsys) -> None:
    spec, out = narrow_calibration(tmp_path), tmp_path / "run"
    np.random.seed(3)
    assert calibrate(spec, out, 1) == 0
    history = (out / outputs.HISTORY).read_bytes()
    capsys.readouterr()
    assert calibrate(spec, out, 2) == 2
    err = capsys.readouterr().err
    assert "generation 0, nearly all the weight of the calibration" in err
    assert "fewer directions than its 2 parameter(s) (effective sample size 1.27 of 8" in err
    assert "--generations 1" in err and "--population-size" in err and "Traceback" not in err
    assert (out / outputs.HISTORY).read_bytes() == history


def test_a_calibration_with_one_heavy_particle_but_a_full_spread_is_extended(
        tmp_path: Path, stand_ins) -> None:
    spec, out = narrow_calibration(tmp_path), tmp_path / "run"
    np.random.seed(1)
    assert calibrate(spec, out, 1) == 0
    _, weights = pyabc.History(f"sqlite:///{out / outputs.HISTORY}", _id=1).get_distribution()
    assert effective_sample_size(weights) == pytest.approx(1.0)
    assert calibrate(spec, out, 2) == 0
    assert len(pd.read_csv(out / outputs.GENERATIONS)) == 2


def test_extending_worlds_with_a_degenerate_world_names_the_world(tmp_path: Path,
                                                                   stand_ins) -> None:
    narrow = json.loads(json.dumps(BASE))
    narrow["moments"]["graduated_6"].update(value=2.0, uncertainty=0.001)
    files = [write(tmp_path, "base.yaml", narrow), write(tmp_path, "no_trap.yaml", NO_TRAP)]
    np.random.seed(0)
    worlds.compare_worlds(files, tmp_path / "out", Options())
    history = (tmp_path / "out" / outputs.HISTORY).read_bytes()
    with pytest.raises(ConfigError, match=r"generation 1, nearly all the weight of world "
                       r"no_trap .* its 2 parameter\(s\) \(effective sample size 1.97 of 3"):
        worlds.compare_worlds(files, tmp_path / "out", Options(generations=3))
    assert (tmp_path / "out" / outputs.HISTORY).read_bytes() == history


def stored_generations(out: Path) -> int:
    """How many generations the history in ``out`` holds."""
    return pyabc.History(f"sqlite:///{out / outputs.HISTORY}", _id=1).n_populations


def test_a_generation_whose_weights_overflow_stops_the_calibration_with_status_2(
        tmp_path: Path, stand_ins, capsys) -> None:
    spec, out = narrow_calibration(tmp_path, TINIER), tmp_path / "run"
    np.random.seed(0)
    assert calibrate(spec, out, 2) == 2
    err = capsys.readouterr().err
    assert "overflow encountered" not in err  # numpy's note: the refusal says it in words
    assert "generation 1 cannot be weighted: candidates of the calibration" in err
    assert "their weights overflow" in err and "Traceback" not in err
    assert "--generations 1 writes them out" in err and "--population-size" in err
    assert stored_generations(out) == 1
    assert calibrate(spec, out, 1) == 0  # the generation kept is written out
    assert len(pd.read_csv(out / outputs.GENERATIONS)) == 1


def test_a_first_generation_whose_weights_overflow_leaves_nothing_to_resume(
        tmp_path: Path, stand_ins, capsys) -> None:
    spec, out = narrow_calibration(tmp_path, TINIER), tmp_path / "run"
    for _ in range(2):  # the same command again begins the calibration again
        np.random.seed(0)
        assert calibrate(spec, out, 1) == 2
        err = capsys.readouterr().err
        assert "generation 0 cannot be weighted" in err and "Start again in a new --out" in err
        assert stored_generations(out) == 0


def test_a_fresh_calibration_that_collapses_before_its_last_generation_keeps_the_others(
        tmp_path: Path, stand_ins, capsys) -> None:
    spec, out = narrow_calibration(tmp_path, 0.01), tmp_path / "run"
    np.random.seed(1)
    assert calibrate(spec, out, 4) == 2
    err = capsys.readouterr().err
    assert "cannot be extended to 4 generations: in its last generation, generation 1" in err
    assert "--generations 2 writes them out" in err and "Traceback" not in err
    assert stored_generations(out) == 2


def test_a_calibration_whose_last_generation_collapses_is_finished(tmp_path: Path,
                                                                    stand_ins) -> None:
    spec, out = narrow_calibration(tmp_path, TINIER), tmp_path / "run"
    np.random.seed(0)
    assert calibrate(spec, out, 3) == 0
    particles, weights = pyabc.History(f"sqlite:///{out / outputs.HISTORY}",
                                       _id=1).get_distribution()
    assert estimator.flat_spread(particles, weights)  # pyabc would fit a transition to it
    assert len(pd.read_csv(out / outputs.GENERATIONS)) == 3
