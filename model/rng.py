"""Counter-based random streams shared by both engines (MODEL.md §7).

A draw is a pure function of (run seed, stream, month, agent id, draw number): the month's key
for a stream is ``stream_key(seed, stream, month)`` and a draw is ``uniform(key, agent, k)``, a
SplitMix64 hash of the key and a counter. Nothing depends on the order in which agents are
visited, the number of threads or the engine, and household ``i`` meets the same shocks in
every scenario run with the same seed (common random numbers). The burn-in's months are
months ``-B+1..0`` of the same streams: a negative month is keyed as ``2**64 + month``
(``np.uint64`` wraps it), so burn-in draws never repeat a draw of months ``1..T``.

The functions are numba-compiled and called both from the kernels and from the Python engine,
so the two engines share one implementation.
"""

from __future__ import annotations

import zlib

import numpy as np
from numba import njit

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
DRAWS_PER_AGENT = np.uint64(8)  # counter stride: up to 8 draws per agent, stream and month
TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53

# One named stream per decision (ARCHITECTURE.md practice 3). Append new streams at the end:
# a stream's id is the CRC32 of its name, so adding one never shifts another's draws.
STREAM_NAMES = (
    "shock",          # 0: is the household hit this month; 1: share of assets lost
    "job",            # 0: separation or job finding
    "casual",         # 0: casual work available
    "exit",           # 0: exogenous exit
    "population",     # initial draws of the synthetic population
    "network",        # rewiring of the small-world network
    "mentor",         # mentor quality (month 0) and volunteer drop-out
    "lottery",        # lottery targeting: slot = month
    "take_up",        # loan take-up: slot = month
)
STREAM_IDS = {name: zlib.crc32(name.encode()) for name in STREAM_NAMES}
assert len(set(STREAM_IDS.values())) == len(STREAM_IDS), "stream id collision"
STREAM_INDEX = {name: i for i, name in enumerate(STREAM_NAMES)}


@njit(cache=True, inline="always")
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64 finaliser: a bijective 64-bit hash."""
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def stream_key(seed: int, stream_id: int, month: int) -> np.uint64:
    """The key of one stream in one month of one run."""
    key = mix64(np.uint64(seed) + GOLDEN)
    key = mix64(key ^ (np.uint64(stream_id) * MIX1))
    return mix64(key + np.uint64(month) * GOLDEN)


@njit(cache=True, inline="always")
def uniform(key: np.uint64, agent: int, k: int) -> float:
    """Draw ``k`` (0..7) of ``agent`` from the stream-month ``key``: a float in [0, 1)."""
    counter = np.uint64(agent) * DRAWS_PER_AGENT + np.uint64(k)
    return float(mix64(key + counter * GOLDEN) >> np.uint64(11)) * TO_UNIT


def key(seed: int, stream: str, month: int) -> np.uint64:
    """The key of the named stream in one month, as the kernels take it."""
    return np.uint64(stream_key(seed, STREAM_IDS[stream], month))


def month_keys(seed: int, month: int) -> np.ndarray:
    """The keys of every stream for one month, in ``STREAM_NAMES`` order (uint64)."""
    return _keys(seed, _STREAM_ID_ARRAY, month)


_STREAM_ID_ARRAY = np.array([STREAM_IDS[n] for n in STREAM_NAMES], dtype=np.int64)


@njit(cache=True)
def _keys(seed: int, stream_ids: np.ndarray, month: int) -> np.ndarray:
    """:func:`stream_key` of each of ``stream_ids`` in one month (one compiled call instead of
    one a stream)."""
    keys = np.empty(stream_ids.shape[0], dtype=np.uint64)
    for i in range(stream_ids.shape[0]):
        keys[i] = stream_key(seed, stream_ids[i], month)
    return keys


@njit(cache=True)
def uniforms_of(key: np.uint64, agents: np.ndarray, k: int) -> np.ndarray:
    """Draw ``k`` of each of ``agents`` (int64[n]): float64[n]."""
    out = np.empty(agents.shape[0])
    for i in range(agents.shape[0]):
        out[i] = uniform(key, agents[i], k)
    return out


@njit(cache=True)
def uniforms(key: np.uint64, n: int, k: int) -> np.ndarray:
    """Draw ``k`` of agents ``0..n-1``: float64[n]."""
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(key, i, k)
    return out
