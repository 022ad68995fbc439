"""The enterprise technology's two building blocks, shared by the phases (``model.rules``) and
by the values worked out once per config (``model.kernel_params``): the labour of a
household's working-age adults and ``k ** gamma``.

They live below both so that the phases can name the kernel parameters' type without an import
cycle; both are compiled once, so a value worked out in advance is the one a kernel computes.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def labour(adults: float, returns: float) -> float:
    """Labour of ``adults`` working-age adults in units of one adult: ``adults ** returns``, 0
    without adults; with ``returns`` below 1 each adult adds less than the one before."""
    return (adults > 0.0) * adults ** returns


@njit(cache=True)
def labour_each(adults: np.ndarray, returns: float) -> np.ndarray:
    """:func:`labour` of each household's ``adults`` (float64[n]), compiled as the kernels
    compute it (numpy's own power can differ in the last bit: ``model.libm``)."""
    out = np.empty_like(adults)
    for h in range(adults.shape[0]):
        out[h] = labour(adults[h], returns)
    return out


@njit(cache=True)
def output_at(k: float, gamma: float) -> float:
    """``k ** gamma`` as the technologies compute it, ``exp(gamma * log k)`` (for the values
    the kernel parameters derive once per config)."""
    return math.exp(gamma * math.log(k))
