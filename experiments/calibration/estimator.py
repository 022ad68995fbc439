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
generation. A run whose weights break down (a generation's particles along fewer directions
than its parameters, or weights that overflow) stops with a message naming the generation, the
generations before it kept.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pyabc
from pyabc.weighted_statistics import effective_sample_size

from experiments.calibration.progress import (
    CountingModel,
    Tally,
    generation_bars,
    pyabc_logs_through_console,
)
from experiments.calibration.spec import Moment, Parameter
from model.params import ConfigError

Model = Callable[[Mapping[str, float]], dict[str, float]]
SINGULAR = 1e6 * np.finfo(float).eps
"""A covariance whose smallest eigenvalue is at most this times its largest is singular to
scipy's multivariate normal (its tolerance for double precision), which pyabc's transition
is."""


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


class InfiniteWeightsError(Exception):
    """Generation ``t`` (not stored) gave particles of the models ``models`` infinite weights:
    pyabc's stochastic acceptor weighs a candidate that fits the moments better than any
    before it by the ratio of the two likelihoods (tempered), which overflows beyond e^709."""

    def __init__(self, t: int, models: list[int]) -> None:
        super().__init__(t, models)
        self.t, self.models = t, models


class FiniteWeights:
    """Mixed into a pyabc sampler: a generation sampled with an infinite weight raises
    :class:`InfiniteWeightsError` (pyabc would stop on its weights' sum, nan). numpy's notes
    of overflows while a generation is sampled (in this process or the workers it forks) are
    not printed: the overflow that matters, an infinite weight, is refused with a message
    saying what to do."""

    def sample_until_n_accepted(self, n: int, simulate_one: Callable, t: int,
                                **kwargs: object) -> pyabc.Sample:
        """pyabc's sample of ``n`` accepted particles of generation ``t``, checked."""
        with np.errstate(over="ignore"):  # an overflowing weight is refused just below
            sample = super().sample_until_n_accepted(n, simulate_one, t, **kwargs)
        infinite = sorted({p.m for p in sample.accepted_particles if not np.isfinite(p.weight)})
        if sample.ok and infinite:
            raise InfiniteWeightsError(t, infinite)
        return sample


class SingleCoreSampler(FiniteWeights, pyabc.sampler.SingleCoreSampler):
    """pyabc's sampler in this process, refusing infinite weights."""


class MulticoreSampler(FiniteWeights, pyabc.sampler.MulticoreEvalParallelSampler):
    """pyabc's sampler on several processes, refusing infinite weights."""


def sampler(cores: int) -> pyabc.sampler.Sampler:
    """pyabc's sampler on ``cores`` processes (one: in this process), refusing infinite
    weights (:class:`FiniteWeights`)."""
    if cores == 1:
        return SingleCoreSampler()
    if _threading_layer() == "omp":
        raise ConfigError(f"cores={cores}: this process already runs numba's OpenMP threads, "
                          "which a forked worker cannot use; run the calibration in a new "
                          "process (as the empowernet command does) or on one core.")
    return MulticoreSampler(n_procs=cores)


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
                         history_path, population_size, generations, cores,
                         ["the calibration"])


def abc_smc(models: Sequence[pyabc.Model], priors: Sequence[pyabc.Distribution],
            kernel: pyabc.NormalKernel, population_size: int, cores: int,
            names: Sequence[str]) -> pyabc.ABCSMC:
    """pyabc's ABC-SMC with the stochastic acceptor and temperature schedule; with several
    models it also samples the model (model selection: posterior model probabilities). Its
    breakdowns (:class:`FlatSpreadError`, :class:`InfiniteWeightsError`) are raised, the
    model called by its entry of ``names``."""
    return pyabc.ABCSMC(list(models), list(priors), kernel, population_size=population_size,
                        sampler=sampler(cores), eps=pyabc.Temperature(),
                        acceptor=pyabc.StochasticAcceptor(),
                        transitions=[Transition(name) for name in names])


def run_shown(models: Sequence[Model], priors: Sequence[pyabc.Distribution],
              kernel: pyabc.NormalKernel, observed: Mapping[str, float], history_path: Path,
              population_size: int, generations: int, cores: int,
              names: Sequence[str]) -> pyabc.History:
    """Run ABC-SMC over ``models`` (one: an estimation; several: a model selection, each
    called by its entry of ``names`` in messages) until ``generations`` generations are
    stored in ``history_path`` (:func:`run_or_resume`), showing its progress: pyabc's log
    lines through the console and, on a terminal, a bar for the first sample from the prior
    and one for each generation (:mod:`experiments.calibration.progress`)."""
    tally = Tally(generations)
    with pyabc_logs_through_console():
        abc = abc_smc([CountingModel(m, tally) for m in models], priors, kernel,
                      population_size, cores, names)
        with generation_bars(tally, population_size):
            return run_or_resume(abc, history_path, observed, generations, names)


def run_or_resume(abc: pyabc.ABCSMC, history_path: Path, observed: Mapping[str, float],
                  generations: int, names: Sequence[str]) -> pyabc.History:
    """Run ``abc`` until ``generations`` generations are stored in ``history_path`` (resuming
    those already there, if they can be extended: :func:`check_extendable`; a history without
    a finished generation is begun again) and return the history.

    Raises:
        ConfigError: the run broke down before its last generation
            (:class:`FlatSpreadError`, :class:`InfiniteWeightsError`); the generations before
            are kept.
    """
    url = f"sqlite:///{history_path.resolve()}"
    stored = pyabc.History(url, _id=1) if history_path.exists() else None
    if stored is not None and stored.n_populations == 0:
        history_path.unlink()  # stopped in its first generation: nothing to resume from
        stored = None
    if stored is not None:
        if stored.n_populations >= generations:
            return stored
        check_extendable(stored, history_path, names, generations)
        done = abc.load(url, 1).n_populations
    else:
        abc.new(url, dict(observed))
        done = 0
    try:
        return abc.run(max_nr_populations=generations - done)
    except FlatSpreadError as spread:
        if abc.history.n_populations >= generations:
            return abc.history  # pyabc fits a transition after its last generation too
        raise spread.refusal(history_path, abc.history, generations) from None
    except InfiniteWeightsError as infinite:
        raise infinite_weights_refusal(infinite, history_path, abc.history, names) from None


def check_extendable(history: pyabc.History, path: Path, names: Sequence[str],
                     generations: int) -> None:
    """Refuse to extend the history stored in ``path`` to ``generations`` generations if, in
    its last generation, the particles of a model (``names``) have a flat spread
    (:func:`flat_spread`): pyabc would draw the next generation around them, and stop with
    "total weight nan".

    Raises:
        ConfigError: :meth:`FlatSpreadError.refusal`.
    """
    for m in history.alive_models(history.max_t):
        particles, weights = history.get_distribution(m=m, t=history.max_t)
        if flat_spread(particles, weights):
            raise FlatSpreadError(names[m], particles, weights).refusal(path, history, generations)


class FlatSpreadError(Exception):
    """The particles of the model ``name`` in the last stored generation, around which pyabc
    would draw the next one, have a flat spread (:func:`flat_spread`)."""

    def __init__(self, name: str, particles: pd.DataFrame, weights: np.ndarray) -> None:
        super().__init__(name)
        self.name, self.particles, self.weights = name, particles, weights

    def refusal(self, path: Path, history: pyabc.History, generations: int) -> ConfigError:
        """The refusal to take ``history`` (stored in ``path``) on to ``generations``
        generations, naming the generation, the model, its effective sample size and what
        to do instead."""
        t, done = history.max_t, history.n_populations
        return ConfigError(
            f"{path} cannot be extended to {generations} generations: in its last "
            f"generation, generation {t}, nearly all the weight of {self.name} is on "
            f"particles that lie along fewer directions than its {self.particles.shape[1]} "
            f"parameter(s) (effective sample size {effective_sample_size(self.weights):.3g} "
            f"of {len(self.weights)} particles), and the next generation, drawn around them, "
            f"would get no finite weights. Use the {done} generation(s) already there "
            f"(the same command with --generations {done} writes them out), or start "
            "again in a new --out with more particles (--population-size) or wider moment "
            "uncertainties.")


class Transition(pyabc.MultivariateNormalTransition):
    """pyabc's default transition (a normal around the last generation's particles) for the
    model ``name``, refusing to be fitted to a flat spread: :class:`FlatSpreadError`."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def fit(self, particles: pd.DataFrame, weights: np.ndarray) -> None:
        """Fit the normal to ``particles`` of ``weights``, unless their spread is flat."""
        if flat_spread(particles, weights):
            raise FlatSpreadError(self.name, particles, weights)
        super().fit(particles, weights)


def infinite_weights_refusal(infinite: InfiniteWeightsError, path: Path, history: pyabc.History,
                             names: Sequence[str]) -> ConfigError:
    """The refusal to go on once generation ``infinite.t`` got infinite weights, naming the
    history ``path``, the generation, the models and what to do instead."""
    done = history.n_populations
    keep = (f"Use the {done} generation(s) stored (the same command with --generations "
            f"{done} writes them out), or start" if done else "Start")
    return ConfigError(
        f"{path}: generation {infinite.t} cannot be weighted: candidates of "
        f"{' and '.join(names[m] for m in infinite.models)} fit the moments so much better "
        "than any candidate before them that their weights overflow (beyond e^709); the "
        "moments' uncertainties are too narrow for so few particles and generations. "
        f"{keep} again in a new --out with more particles (--population-size), more "
        "generations (--generations) or wider moment uncertainties.")


def flat_spread(particles: pd.DataFrame, weights: np.ndarray) -> bool:
    """Whether the weighted covariance of two or more particles, around which pyabc draws the
    next generation (its default transition, a normal with that covariance), is singular as
    scipy's normal judges it (``SINGULAR``): its density is then 0 off a line or plane, and
    the new particles' weights are infinite."""
    if len(particles) < 2:
        return False  # pyabc draws around a single particle with a spread of its own
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # one particle's weight: a nan spread
        cov = np.atleast_2d(np.cov(particles.to_numpy(float),
                                   aweights=np.asarray(weights, float), rowvar=False))
    if not np.all(np.isfinite(cov)):
        return True
    eigenvalues = np.linalg.eigvalsh(cov)
    return bool(eigenvalues.min() <= SINGULAR * eigenvalues.max())
