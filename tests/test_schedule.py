"""The numba engine's calls of its kernels (``model.schedule``)."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from model.schedule import KnownTypes

Scale = namedtuple("Scale", ["factor", "shift"])


@njit
def scaled(values, scale):
    """Each value times ``scale.factor``, plus ``scale.shift``."""
    return values * scale.factor + scale.shift


def test_a_kernel_with_known_types_calls_the_overload_of_the_types_it_is_given() -> None:
    kernel = KnownTypes(scaled)
    scale = Scale(2.0, 1.0)
    ints = np.arange(3)
    assert kernel(ints, scale).tolist() == [1.0, 3.0, 5.0]  # compiled by the dispatcher
    assert kernel(ints + 1, scale).tolist() == [3.0, 5.0, 7.0]
    assert kernel.known is not None  # its overload is called without the dispatcher
    assert kernel(np.array([0.5]), scale).tolist() == [2.0]  # another array type
    assert kernel(np.array([1], dtype=np.int32), Scale(3, 0)).tolist() == [3]  # integer scale
    assert kernel(np.array([1], dtype=np.int32), Scale(3.0, 0.5)).tolist() == [3.5]
    assert len(scaled.overloads) == 4
