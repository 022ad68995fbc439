"""Element-wise ``exp``, ``log``, ``log1p`` and ``power`` of the C library, in compiled loops.

numpy computes these functions with vectorised code of its own on processors with AVX-512,
whose results differ from the C library's in the last bit for some arguments; on other
processors it calls the C library, as the compiled kernels always do. Households drawn or
started with numpy's functions would then differ between machines, and with them every run:
the tests' golden results, the committed panels, the calibration. Whatever draws, starts,
ranks or places a household calls these instead, so that a seed gives the same run on every
x86-64 machine (``docs/model.md``, "Randomness"). The loops call the C library one value at
a time: 10-20 ms for a million values, about what numpy's own functions take without AVX-512.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import ArrayLike


def exp(x: ArrayLike) -> np.ndarray:
    """``e ** x`` of each value (float64, shaped as ``x``: a scalar for a scalar)."""
    values = _floats(x)
    return _shaped(_exp(values.ravel()), values.shape)


def log(x: ArrayLike) -> np.ndarray:
    """The natural logarithm of each value (float64 shaped as ``x``; NaN below 0)."""
    values = _floats(x)
    return _shaped(_log(values.ravel()), values.shape)


def log1p(x: ArrayLike) -> np.ndarray:
    """``log(1 + x)`` of each value, exact near 0 (float64 shaped as ``x``)."""
    values = _floats(x)
    return _shaped(_log1p(values.ravel()), values.shape)


def power(base: ArrayLike, exponent: ArrayLike) -> np.ndarray:
    """``base ** exponent`` of each pair, broadcast as numpy would (float64)."""
    b, e = np.broadcast_arrays(_floats(base), _floats(exponent))
    return _shaped(_power(b.ravel(), e.ravel()), b.shape)


def _floats(x: ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _shaped(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``values`` in ``shape``; a numpy scalar for shape ``()``, as numpy's functions give."""
    return values.reshape(shape)[()]


@njit(cache=True)
def _exp(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = math.exp(x[i])
    return out


@njit(cache=True)
def _log(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = math.log(x[i]) if x[i] >= 0.0 else math.nan
    return out


@njit(cache=True)
def _log1p(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = math.log1p(x[i]) if x[i] >= -1.0 else math.nan
    return out


@njit(cache=True)
def _power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    out = np.empty_like(base)
    for i in range(base.shape[0]):
        out[i] = base[i] ** exponent[i]
    return out
