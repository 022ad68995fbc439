"""ABC-SMC (pyabc) over declared parameters against the calibrate moments.

The estimator is given the calibrate moments only, and refuses a held-out one
(:class:`HeldOutMomentError`): validation moments cannot leak into the fit. The targets are
taken as jointly normal around the simulated values, each with its stated uncertainty as
standard deviation and with the given correlation (a panel's moments share households); pyabc's
stochastic acceptor with a temperature schedule then samples that posterior exactly in the last
generation (temperature 1), earlier generations being tempered steps towards it. A tolerance on
a distance would not do: with the same seeds for every candidate the simulator is
deterministic, and a shrinking tolerance would ignore the stated uncertainties. pyabc keeps
every generation in a SQLite history, so a run that is stopped resumes from its last finished
generation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numba
import numpy as np
import pyabc

from experiments.calibration.progress import (
    CountingModel,
    Tally,
    generation_bars,
    pyabc_logs_through_console,
)
from experiments.calibration.spec import Moment, Parameter
from model.params import ConfigError

Model = Callable[[Mapping[str, float]], dict[str, float]]


class HeldOutMomentError(ValueError):
    """A held-out moment was handed to the estimator."""


def prior(parameters: Sequence[Parameter]) -> pyabc.Distribution:
    """The joint prior: independent uniform or log-uniform on each parameter's range."""
    rvs = {}
    for p in parameters:
        rvs[p.key] = (pyabc.RV("uniform", p.low, p.high - p.low) if p.prior == "uniform"
                      else pyabc.RV("loguniform", p.low, p.high))
    return pyabc.Distribution(**rvs)


def _threading_layer() -> str | None:
    """numba's running threading layer, or None before the first parallel kernel."""
    try:
        return numba.threading_layer()
    except ValueError:
        return None


def sampler(cores: int) -> pyabc.sampler.Sampler:
    """pyabc's sampler on ``cores`` processes (one: in this process)."""
    if cores == 1:
        return pyabc.sampler.SingleCoreSampler()
    if _threading_layer() == "omp":
        raise ConfigError(f"cores={cores}: this process already runs numba's OpenMP threads, "
                          "which a forked worker cannot use; run the calibration in a new "
                          "process (as the empowernet command does) or on one core.")
    return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=cores)


class Estimator:
    """ABC-SMC for ``parameters`` given ``targets``, simulating with ``model``; the targets'
    errors have the ``correlation`` matrix (None: independent).

    Raises:
        HeldOutMomentError: a target is not marked ``calibrate``.
    """

    def __init__(self, parameters: Sequence[Parameter], targets: Sequence[Moment],
                 model: Model, correlation: np.ndarray | None = None) -> None:
        held_out = [m.name for m in targets if m.use != "calibrate"]
        if held_out:
            raise HeldOutMomentError(f"moment(s) {', '.join(held_out)} are held out for "
                                     "validation; the estimator only reads calibrate moments.")
        self.parameters = tuple(parameters)
        self.observed = {m.name: m.value for m in targets}
        sd = np.array([m.uncertainty for m in targets])
        correlation = np.eye(len(sd)) if correlation is None else correlation
        self.kernel = pyabc.NormalKernel(cov=correlation * np.outer(sd, sd),
                                         keys=[m.name for m in targets])
        self.model = model

    def run(self, history_path: Path, population_size: int, generations: int,
            cores: int) -> pyabc.History:
        """Run until ``generations`` generations are stored in ``history_path`` (resuming
        those already there) and return the history, showing its progress
        (:func:`run_shown`)."""
        return run_shown([self.model], [prior(self.parameters)], self.kernel, self.observed,
                         history_path, population_size, generations, cores)


def abc_smc(models: Sequence[pyabc.Model], priors: Sequence[pyabc.Distribution],
            kernel: pyabc.NormalKernel, population_size: int, cores: int) -> pyabc.ABCSMC:
    """pyabc's ABC-SMC with the stochastic acceptor and temperature schedule; with several
    models it also samples the model (model selection: posterior model probabilities)."""
    return pyabc.ABCSMC(list(models), list(priors), kernel, population_size=population_size,
                        sampler=sampler(cores), eps=pyabc.Temperature(),
                        acceptor=pyabc.StochasticAcceptor())


def run_shown(models: Sequence[Model], priors: Sequence[pyabc.Distribution],
              kernel: pyabc.NormalKernel, observed: Mapping[str, float], history_path: Path,
              population_size: int, generations: int, cores: int) -> pyabc.History:
    """Run ABC-SMC over ``models`` (one: an estimation; several: a model selection) until
    ``generations`` generations are stored in ``history_path`` (:func:`run_or_resume`),
    showing its progress: pyabc's log lines through the console and, on a terminal, a bar
    for the first sample from the prior and one for each generation
    (:mod:`experiments.calibration.progress`)."""
    tally = Tally(generations)
    with pyabc_logs_through_console():
        abc = abc_smc([CountingModel(m, tally) for m in models], priors, kernel,
                      population_size, cores)
        with generation_bars(tally, population_size):
            return run_or_resume(abc, history_path, observed, generations)


def run_or_resume(abc: pyabc.ABCSMC, history_path: Path, observed: Mapping[str, float],
                  generations: int) -> pyabc.History:
    """Run ``abc`` until ``generations`` generations are stored in ``history_path`` (resuming
    those already there) and return the history."""
    url = f"sqlite:///{history_path.resolve()}"
    if history_path.exists():
        done = abc.load(url, 1).n_populations
    else:
        abc.new(url, dict(observed))
        done = 0
    if done >= generations:
        return pyabc.History(url, _id=1)
    return abc.run(max_nr_populations=generations - done)
