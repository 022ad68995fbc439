"""``empowernet calibrate``: the calibration file is checked before any simulation, held-out
moments never reach the estimator, programme inputs are not estimable, a stopped calibration
resumes, and the estimator recovers known parameters (at a tiny size)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.calibration import outputs
from experiments.calibration import spec as spec_io
from experiments.calibration.command import Options, calibrate, checked_simulator, settings_of
from experiments.calibration.diagnostics import predictive_check
from experiments.calibration.entry import DEFAULT_FILE
from experiments.calibration.estimator import Estimator, HeldOutMomentError
from experiments.calibration.recovery import recover
from experiments.calibration.simulate import noise_bound
from experiments.cli import main

TINY: dict = {
    "settings": {"households": 60, "months": 6, "seeds": [1], "population_size": 6,
                 "generations": 1, "cores": 1},
    "parameters": {
        "consumption.sigma_max": {"range": [0.08, 0.3], "source": "test"},
        "enterprise.confidence_effect": {"prior": "uniform", "range": [0.1, 1.2],
                                         "source": "test"}},
    "moments": {
        "effect_6": {"statistic": "gap_pct_consumption", "scenario": "graduation",
                     "month": 6, "value": 5.0, "uncertainty": 2.0, "source": "test",
                     "population": "test", "use": "calibrate"},
        "assets_6": {"statistic": "change_assets", "scenario": "baseline", "month": 6,
                     "group": "all", "value": 0.3, "uncertainty": 0.2, "source": "test",
                     "population": "test", "use": "calibrate"},
        "secret_6": {"statistic": "mean_income", "scenario": "baseline", "month": 6,
                     "value": 3.0, "uncertainty": 0.5, "source": "test", "population": "test",
                     "use": "hold_out"}},
}


def write_spec(folder: Path, tree: dict, name: str = "tiny.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(tree), encoding="utf-8")
    return path


def changed(path: tuple[str, ...], value: object) -> dict:
    """TINY with the entry at ``path`` set to ``value`` (deleted if value is ...)."""
    tree = json.loads(json.dumps(TINY))
    node = tree
    for part in path[:-1]:
        node = node[part]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return tree


BAD_SPECS = [
    (("parameters", "programmes.asset_grant.dose"), {"range": [0.1, 1.0], "source": "x"},
     "'parameters.programmes.asset_grant.dose': not estimable: programme inputs"),
    (("parameters", "institutions.social_workers"), {"range": [1.0, 5.0], "source": "x"},
     "'parameters.institutions.social_workers': not estimable"),
    (("parameters", "enterprise.confidence_efect"), {"range": [0.1, 1.0], "source": "x"},
     "did you mean 'enterprise.confidence_effect'?"),
    (("parameters", "population.max_size"), {"range": [5, 20], "source": "x"},
     "'parameters.population.max_size'"),
    (("parameters", "consumption.sigma_max", "range"), [0.3, 0.08], "must have low < high"),
    (("parameters", "consumption.sigma_max", "range"), [0.1, 2.0], "allowed 0 to 1"),
    (("parameters", "consumption.sigma_max", "prior"), "normal", "'normal' is not allowed"),
    (("parameters", "consumption.sigma_max", "source"), ..., "sigma_max.source': missing"),
    (("parameters", "consumption.sigma_max", "spread"), 1, "sigma_max.spread': unknown key"),
    (("moments", "effect_6", "statistic"), "gap_pct_consumptoin",
     "did you mean 'gap_pct_consumption'?"),
    (("moments", "effect_6", "scenario"), "graduaton", "did you mean 'graduation'?"),
    (("moments", "effect_6", "uncertainty"), 0, "effect_6.uncertainty': 0 is not a positive"),
    (("moments", "effect_6", "value"), "high", "effect_6.value': 'high' is not a finite"),
    (("moments", "effect_6", "month"), -1, "effect_6.month'"),
    (("moments", "effect_6", "group"), "treated", "compares the treated with the comparison"),
    (("moments", "effect_6", "use"), "maybe", "effect_6.use': 'maybe' is not allowed"),
    (("moments", "effect_6", "population"), ..., "effect_6.population': missing"),
    (("settings", "months"), 3, "'settings.months': 3 ends before month 6"),
    (("settings", "overrides"), ["shocks.p_shok=0.1"], "unknown key shocks.p_shok"),
    (("settings", "cores"), 0, "'settings.cores'"),
    (("moments",), {}, "no moment has use: calibrate"),
    (("parameters", "consumption.sigma_max", "fit"), "no", "sigma_max.fit': give true or false"),
    (("parameters",), {"consumption.sigma_max": {"range": [0.08, 0.3], "source": "x",
                                                 "fit": False}}, "no parameter to fit"),
    (("estimate",), {}, "'(top level).estimate': unknown key"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_SPECS)
def test_bad_calibration_file_is_refused_before_any_simulation(
        path: tuple[str, ...], value: object, message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_simulation(*_: object, **__: object) -> None:
        raise AssertionError("a simulation ran before the file was checked")

    monkeypatch.setattr("experiments.calibration.simulate.run", no_simulation)
    spec = write_spec(tmp_path, changed(path, value))
    out = tmp_path / "out"
    assert main(["calibrate", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "tiny.yaml" in err and "Traceback" not in err
    assert not out.exists()


def test_unreadable_yaml_and_short_months_option_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("parameters: [unclosed", encoding="utf-8")
    assert main(["calibrate", str(broken), "--out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err  # one line, with where the YAML breaks off
    assert err.count("\n") == 1 and ("broken.yaml: cannot be read (expected ',' or ']', but "
                                      "got '<stream end>' at line 1, column 22)") in err
    spec = write_spec(tmp_path, TINY)
    assert main(["calibrate", str(spec), "--months", "4", "--out", str(tmp_path / "b")]) == 2
    assert "--months 4: the moments reach month 6" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_shipped_calibration_files_are_valid() -> None:
    for path in DEFAULT_FILE.parent.glob("*.yaml"):
        spec = spec_io.read(path)
        assert all(not p.key.startswith("programmes.") for p in spec.parameters)
    default = spec_io.read(DEFAULT_FILE)
    assert default.held_out() and default.calibration_moments()


def with_prior_only(key: str, low: float, high: float) -> dict:
    """TINY with ``key`` declared as a parameter no moment reads (fit: false)."""
    return changed(("parameters", key), {"range": [low, high], "source": "test", "fit": False})


def test_a_parameter_a_calibrate_moment_reads_cannot_be_marked_fit_false(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the savings group's rate moves the graduation package's effect_6: refused
    spec = write_spec(tmp_path, with_prior_only("responses.savings_group_rate", 0.0, 0.5))
    assert main(["calibrate", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "move calibrate moments" in err and "effect_6" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_prior_only_parameters_are_checked_left_to_the_prior_and_drawn_beside_the_fit(
        tmp_path: Path) -> None:
    # incubation is in neither scenario of TINY: its parameter may stay out of the fit
    spec = spec_io.read(write_spec(tmp_path, with_prior_only(
        "responses.incubation_productivity_gain", 0.03, 0.3)))
    settings, _ = checked_simulator(spec, Options(), spec.calibration_moments())
    assert settings.households == 60
    assert [p.key for p in spec.fitted()] == ["consumption.sigma_max",
                                              "enterprise.confidence_effect"]
    particles = pd.DataFrame({"consumption.sigma_max": [0.1, 0.2, 0.25]})
    drawn = outputs.with_prior_draws(particles, spec.prior_only())
    column = drawn["responses.incubation_productivity_gain"]
    assert column.between(0.03, 0.3).all() and column.nunique() == 3
    pd.testing.assert_frame_equal(drawn, outputs.with_prior_draws(particles, spec.prior_only()))


def test_estimator_refuses_held_out_moments(tmp_path: Path) -> None:
    spec = spec_io.read(write_spec(tmp_path, TINY))
    with pytest.raises(HeldOutMomentError, match="secret_6"):
        Estimator(spec.parameters, spec.moments, lambda _: {})
    estimator = Estimator(spec.parameters, spec.calibration_moments(), lambda _: {})
    assert set(estimator.observed) == {"effect_6", "assets_6"}


@pytest.mark.slow
def test_stopped_calibration_resumes_where_it_stopped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path, TINY)
    out = tmp_path / "run"
    np.random.seed(0)
    calibrate(spec, out, None, Options(generations=1))
    first = pd.read_csv(out / outputs.GENERATIONS)
    record = json.loads((out / outputs.PROVENANCE).read_text(encoding="utf-8"))
    assert len(first) == 1 and record["status"] == "finished"
    assert {m["name"] for m in record["fingerprint"]["moments"]} == {"effect_6", "assets_6"}
    assert record["code_revision"] and record["fingerprint"]["settings"]["seeds"] == [1]
    def measured_again(*_: object) -> None:
        raise AssertionError("the resumed calibration measured the noise again")

    monkeypatch.setattr("experiments.calibration.command.noise_bound", measured_again)
    summary = calibrate(spec, out, None, Options(generations=2))
    resumed = pd.read_csv(out / outputs.GENERATIONS)
    assert list(resumed["generation"]) == [0, 1]
    pd.testing.assert_frame_equal(resumed.iloc[:1], first)
    assert set(summary["parameter"]) == {"consumption.sigma_max",
                                         "enterprise.confidence_effect"}
    posterior = pd.read_csv(out / outputs.POSTERIOR)
    assert len(posterior) == 6 and posterior["weight"].sum() == pytest.approx(1.0)
    assert main(["calibrate", str(spec), "--out", str(out), "--households", "80"]) == 2


RECOVERABLE: dict = {
    **TINY,
    "settings": {"households": 300, "months": 12, "seeds": [1], "population_size": 40,
                 "generations": 3, "cores": 1},
    "moments": {  # the package's asset gap reads sigma_max most, consumption the confidence
        name: {"statistic": statistic, "scenario": scenario, "month": 12, "value": 1.0,
               "uncertainty": uncertainty, "source": "test", "population": "test",
               "use": "calibrate"}
        for name, statistic, scenario, uncertainty in (
            ("assets_gap_12", "gap_assets", "graduation", 0.2),
            ("consumption_12", "mean_consumption", "baseline", 0.1))},
}
TRUTHS = ({"consumption.sigma_max": 0.10, "enterprise.confidence_effect": 0.3},
          {"consumption.sigma_max": 0.28, "enterprise.confidence_effect": 1.0})
"""Two worlds at opposite sides of the prior box: low and high on both parameters."""


@pytest.mark.slow
def test_posteriors_follow_their_known_parameters(tmp_path: Path) -> None:
    """Calibrated on data simulated at a low and at a high truth, each truth falls in its own
    90 % interval and every parameter's posterior median is higher for the higher truth by at
    least a third of its prior's width. A calibration that ignored its moments would give
    both the same posterior and fail (its intervals, 90 % of the prior's width, would pass a
    coverage check alone)."""
    spec = spec_io.read(write_spec(tmp_path, RECOVERABLE))
    settings = settings_of(spec, Options(), spec.calibration_moments())
    np.random.seed(1)
    noise = noise_bound(spec.calibration_moments(), settings, spec.parameters)
    low, high = (recover(spec, settings, truth, (101,), tmp_path / f"truth{k}", noise)
                 .set_index("parameter") for k, truth in enumerate(TRUTHS))
    shown = pd.concat({"low": low, "high": high}).to_string()
    assert low["covered"].all() and high["covered"].all(), shown
    moved = (high["median"] - low["median"]) / (high["prior_high"] - high["prior_low"])
    assert (moved >= 1 / 3).all(), f"medians moved by {moved.round(2).to_dict()} of the " \
        f"prior's width:\n{shown}"


@pytest.mark.slow
def test_predictive_check_covers_every_moment_held_out_included(tmp_path: Path) -> None:
    # whatever the model simulates: a published value a thousand z away from every draw is a
    # miss, and one whose stated uncertainty is a thousand z is not
    tree = changed(("moments", "secret_6", "value"), 1000.0)
    tree["moments"]["effect_6"]["uncertainty"] = 1000.0
    spec = spec_io.read(write_spec(tmp_path, tree))
    posterior = pd.DataFrame({"consumption.sigma_max": [0.1, 0.2],
                              "enterprise.confidence_effect": [0.3, 0.9], "weight": [0.5, 0.5]})
    check = predictive_check(posterior, spec, spec.settings, draws=3).set_index("moment")
    assert set(check.index) == {"effect_6", "assets_6", "secret_6"}
    assert bool(check.loc["secret_6", "miss"]) and not check.loc["effect_6", "miss"]
    # three draws on their own seeds: a spread, not one simulation repeated
    assert (check["q05"] < check["median"]).all() and (check["median"] < check["q95"]).all()


@pytest.mark.slow
def test_a_damaged_history_is_refused_naming_it(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, TINY)
    out = tmp_path / "run"
    calibrate(spec, out, None, Options(generations=1))
    (out / outputs.HISTORY).write_bytes(b"junk")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["calibrate", str(spec), "--out", str(out), "--generations", "2"]) == 2
    err = capsys.readouterr().err
    assert f"{out / outputs.HISTORY} cannot be read" in " ".join(err.split())
    assert "Traceback" not in err
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}


def test_a_history_in_a_folder_named_with_a_hash_is_read_where_it_is(tmp_path: Path) -> None:
    import sqlite3

    folder = tmp_path / "study#2"
    folder.mkdir()
    with sqlite3.connect(folder / outputs.HISTORY) as db:
        db.execute("CREATE TABLE populations (id INTEGER)")
    outputs.check_history(folder / outputs.HISTORY)  # a readable history: no refusal
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study#2"]  # and no stray file


def test_a_posterior_of_too_few_effective_particles_is_warned_of(tmp_path) -> None:
    # --population-size 1: one particle, sd 0, q05 = q95; runs drawing from it would claim
    # parameter uncertainty they do not carry
    table = pd.DataFrame({"generation": [0, 1], "ess": [30.0, 1.0]})
    table.to_csv(tmp_path / outputs.GENERATIONS, index=False)
    warning = outputs.too_few_particles(tmp_path)
    assert warning.startswith("warning: the posterior's effective sample size is 1 particles, "
                              "below 20: its sd and 90 % intervals understate")
    assert "--population-size" in warning
    table.assign(ess=[1.0, 20.0]).to_csv(tmp_path / outputs.GENERATIONS, index=False)
    assert outputs.too_few_particles(tmp_path) == ""  # the last generation's is enough
