"""A seed gives the same households on every machine: nothing that draws, starts or ranks them
reads numpy's own exp, log, log1p or power, whose vectorised versions on AVX-512 processors
differ from the C library's in the last bit (``model.libm``)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.calibration.spec import Parameter
from model import libm, population, threshold
from model.params import Config
from scenarios import targeting


def test_each_function_gives_the_c_librarys_value_of_each_element() -> None:
    x = np.random.default_rng(3).normal(0.0, 4.0, 2_000)
    positive = np.abs(x) + 1e-3
    assert [libm.exp(v) for v in x] == [math.exp(v) for v in x]
    assert libm.exp(x).tolist() == [math.exp(v) for v in x]
    assert libm.log(positive).tolist() == [math.log(v) for v in positive]
    assert libm.log1p(positive).tolist() == [math.log1p(v) for v in positive]
    assert libm.power(positive, 0.37).tolist() == [v ** 0.37 for v in positive]
    assert libm.power(0.3, np.arange(5)).tolist() == [0.3 ** k for k in range(5)]


def test_shapes_and_edges_are_numpys() -> None:
    assert isinstance(libm.exp(0.5), np.float64)
    assert libm.exp(np.zeros((2, 3))).shape == (2, 3)
    assert libm.exp(np.arange(6.0)[::2]).tolist() == [1.0, math.exp(2.0), math.exp(4.0)]
    assert np.isnan(libm.log(np.array([-1.0, np.nan]))).all()
    assert libm.log(0.0) == -math.inf
    assert np.isnan(libm.log1p(-2.0))


def off_by_a_bit(ufunc: np.ufunc):
    """``ufunc`` with each result one part in 2**52 larger: how a processor's own vectorised
    version may differ from the C library's."""
    def perturbed(*args, **kwargs):
        return ufunc(*args, **kwargs) * (1.0 + 2.0 ** -52)
    return perturbed


def drawn_and_ranked(cfg: Config) -> list[np.ndarray]:
    """What a seed makes of households before any month: drawn and started (the flows read
    the technology's power), k*, the proxy-means ranks and a log-uniform prior's quantiles."""
    state = population.synthetic(cfg, 500)
    population.start_flows(state, cfg)
    redrawn = state.copy()
    population.redraw_traits(redrawn, cfg, ["skill"])
    prior = Parameter("labour.adult_returns", "loguniform", 0.5, 2.0, "a test")
    return [state.floats, state.ints, redrawn.floats, np.array([threshold.asset_threshold(cfg)]),
            targeting.proxy_means_score(state), prior.quantile(np.linspace(0.0, 1.0, 7))]


def test_households_do_not_depend_on_numpys_own_functions(monkeypatch) -> None:
    cfg = Config()
    before = drawn_and_ranked(cfg)
    for name in ("exp", "log", "log1p", "expm1", "power"):
        monkeypatch.setattr(np, name, off_by_a_bit(getattr(np, name)))
    threshold._threshold.cache_clear()
    after = drawn_and_ranked(cfg)
    for was, now in zip(before, after, strict=True):
        assert np.array_equal(was, now, equal_nan=True)


@pytest.mark.parametrize("name", ["exp", "log", "log1p", "power"])
def test_the_perturbed_functions_do_differ(name) -> None:
    # the test above would pass whatever the code if the perturbation changed nothing
    x = np.linspace(0.1, 3.0, 50)
    args = (x, 0.37) if name == "power" else (x,)
    assert not np.array_equal(getattr(np, name)(*args), off_by_a_bit(getattr(np, name))(*args))
