"""Relaxed copies of households stepped through a world that does not see them.

The world is the population continued without any relaxation (the base), stepped by the
ordinary month (``model.schedule``). Each layer is a copy of the household state in which some
rows are relaxed copies; only those rows are stepped, one at a time, by the same phase functions
(``model.month``), with the same random draws as their household (a row keeps its row, hence
its draws and its ties). A copy sees the base: its neighbours' signals of last month, their
informal cover, and the base's job seekers, against whom it competes for the month's slots by
the ordinary rule (:func:`model.month.allocate_jobs`). It sees itself as itself: its own signals
of last month (the cover it asked for, the savings it offered). Nothing it does reaches the base
or another copy, so a copy moves exactly as its household would in a full run in which only it
were relaxed and everyone else kept the base's path (``tests/test_diagnosis.py`` checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import numba
import numpy as np
from numba import njit

from model import record
from model import rng as streams
from model.kernel_params import KernelParams
from model.month import allocate_jobs, gather_neighbours, household_rows, search_rows
from model.rules import N_WORK, Month
from model.schedule import numba_month
from model.state import CONSUMPTION, HAS_JOB, N_PEER, SIZE, HouseholdState


@dataclass(frozen=True)
class World:
    """The current month of a run, which the diagnosis holds still over its horizon.

    Attributes:
        params: the phase parameters of every month of the horizon.
        context: this month's context (doses, delivery costs, mentors, the network).
        job_slots: new job slots each month.
        seed: the run seed (common random numbers: month ``t`` uses the run's keys of ``t``).
        k_star: the asset threshold, z, that the ``assets`` lever raises assets to.
    """

    params: KernelParams
    context: Month
    job_slots: int
    seed: int
    k_star: float


def frozen_month(state: HouseholdState, world: World, ctx: Month, acc: np.ndarray,
                 hist: np.ndarray) -> None:
    """One ordinary month of ``state`` in the world held still: ``world.job_slots`` new slots
    (its parameters hire nothing more, :func:`model.diagnosis.world_params`), none carried."""
    numba_month(state, world.params, ctx, float(world.job_slots), np.zeros(1), -1, acc, hist)


class Market(NamedTuple):
    """The base's job market of one month, as a copy that seeks a job meets it.

    A copy gets a slot when fewer than ``slots`` of the other seekers rank before it, that is
    when it ranks before the ``slots``-th of them: the ``slots``-th seeker of the base, or the
    next one if its own household was among those served.
    """

    seekers: np.ndarray        # int64[k]: the base's job seekers, ascending
    served: np.ndarray         # bool[k]: which of them the base served
    rivals: np.ndarray         # int64[2]: the slots-th and the next seeker's rows, or -1
    rival_floats: np.ndarray   # float64[2, N_FLOAT]: their rows at the market
    rival_ints: np.ndarray     # int32[2, N_INT]
    slots: int


def served(floats: np.ndarray, ints: np.ndarray, slots: int, mentor_contact: np.ndarray,
           priority: float) -> np.ndarray:
    """Which of the job seekers ``floats``, ``ints`` (their rows, in row order) the ordinary
    rule (:func:`~model.month.allocate_jobs`, a referral weighted by ``priority``) serves
    with ``slots`` slots."""
    ints = ints.copy()
    allocate_jobs(floats, ints, np.ones(len(ints), dtype=np.uint8), max(slots, 0),
                  mentor_contact, priority)
    return ints[:, HAS_JOB] == 1


def market(at_market: HouseholdState, candidate: np.ndarray, slots: int,
           mentor_contact: np.ndarray, priority: float) -> Market:
    """The base's market of this month: its seekers (``candidate``) with their rows as they
    were at the market (``at_market``)."""
    seekers = np.flatnonzero(candidate)
    floats, ints = at_market.floats[seekers], at_market.ints[seekers]
    fewer, served_now, more = (served(floats, ints, s, mentor_contact, priority)
                               for s in (slots - 1, slots, slots + 1))
    rivals = np.full(2, -1)
    for r, (before, after) in enumerate(((fewer, served_now), (served_now, more))):
        last = np.flatnonzero(after & ~before)
        rivals[r] = last[0] if last.size else -1
    found = rivals >= 0
    rival_floats = np.zeros((2, floats.shape[1]))
    rival_ints = np.zeros((2, ints.shape[1]), dtype=ints.dtype)
    rival_floats[found], rival_ints[found] = floats[rivals[found]], ints[rivals[found]]
    rivals[found] = seekers[rivals[found]]
    return Market(seekers, served_now, rivals, rival_floats, rival_ints, slots)


@njit(cache=True, nogil=True)
def take_slot(floats: np.ndarray, ints: np.ndarray, h: int, seekers: np.ndarray,
              served: np.ndarray, rivals: np.ndarray, rival_floats: np.ndarray,
              rival_ints: np.ndarray, slots: int, mentor_contact: np.ndarray,
              priority: float) -> None:
    """Give copy ``h``, a job seeker, a slot of the base's :class:`Market` (its fields) if it
    ranks before its rival, by :func:`~model.month.allocate_jobs` on the two of them."""
    if slots <= 0:
        return
    at = np.searchsorted(seekers, h)
    r = 1 if at < seekers.size and seekers[at] == h and served[at] else 0
    rival = rivals[r]
    n = 1 if rival < 0 else 2
    f = np.empty((n, floats.shape[1]))
    i = np.empty((n, ints.shape[1]), dtype=ints.dtype)
    me = 1 if rival >= 0 and rival < h else 0
    f[me], i[me] = floats[h], ints[h]
    if rival >= 0:
        f[1 - me], i[1 - me] = rival_floats[r], rival_ints[r]
    allocate_jobs(f, i, np.ones(n, dtype=np.uint8), 1, mentor_contact, priority)
    ints[h] = i[me]


@njit(cache=True, nogil=True)
def copies_month(floats: np.ndarray, ints: np.ndarray, gone: np.ndarray, rows: np.ndarray,
                 p: KernelParams, m,
                 own_prev: np.ndarray, seekers: np.ndarray, served: np.ndarray,
                 rivals: np.ndarray, rival_floats: np.ndarray, rival_ints: np.ndarray,
                 slots: int) -> None:
    """One month of the copies ``rows`` of a layer (``floats``, ``ints``).

    ``m`` is the base's month context but for ``candidate`` and ``peer_next``, the layer's own;
    ``m.peer_prev`` (the base's signals of last month) is lent to each copy in turn with its own
    row replaced by ``own_prev`` (the layer's signals of last month), and given back unchanged.
    """
    work = np.empty((1, N_WORK))
    base_row = np.empty(N_PEER)
    for h in rows:
        search_rows(floats, ints, gone, h, h + 1, p, m, work[0])
        if m.candidate[h]:
            take_slot(floats, ints, h, seekers, served, rivals, rival_floats, rival_ints,
                      slots, m.mentor_contact, p.labour.referral_priority)
        gather_neighbours(h, h + 1, ints, gone, m.nbr_span, m.nbr_idx, m.peer_prev, work)
        base_row[:] = m.peer_prev[h]
        m.peer_prev[h] = own_prev[h]
        household_rows(floats, ints, gone, h, h + 1, p, m, work)
        m.peer_prev[h] = base_row


def per_capita(state: HouseholdState, rows: np.ndarray) -> np.ndarray:
    """This month's per-capita consumption of ``rows``, z."""
    return state.floats[rows, CONSUMPTION] / state.ints[rows, SIZE]


@dataclass
class Layer:
    """A copy of the households in which ``rows`` are relaxed by one lever, and what its
    month needs of its own (so that layers can be stepped at the same time)."""

    state: HouseholdState
    params: KernelParams
    own_next: np.ndarray   # float64[n, N_PEER]: the signals its copies show next month
    lent: np.ndarray       # float64[n, N_PEER]: the base's signals of last month, lent out
    candidate: np.ndarray  # uint8[n]: its copies' job offers this month
    total: np.ndarray      # float64[rows]: per-capita consumption summed over the window

    def step(self, ctx: Month, rows: np.ndarray, jobs: Market, counted: bool) -> None:
        """One month of its copies in the base's month ``ctx`` and job market ``jobs``."""
        self.lent[:] = ctx.peer_prev
        copies_month(self.state.floats, self.state.ints, self.state.gone, rows, self.params,
                     ctx._replace(candidate=self.candidate, peer_prev=self.lent,
                                  peer_next=self.own_next),
                     self.state.peer, *jobs)
        self.state.peer, self.own_next = self.own_next, self.state.peer
        if counted:
            self.total += per_capita(self.state, rows)


PARALLEL_MIN_ROWS = 3000
"""Households diagnosed from which a month's layers are stepped on a pool of threads. Handing a
layer to a thread costs more than its month of a few thousand rows: with two threads the pool
took 31 against 21 ms at 200 households (about 80 diagnosed), 286-318 against 259-268 ms at
5,000 (2,246), and 566 against 696 ms at 10,000 (4,286), 767 against 1,004 ms at 20,000."""


@contextmanager
def layer_map(rows: int) -> Iterator[Callable]:
    """The ``map`` that steps a month's layers of ``rows`` diagnosed households: on a pool of
    numba's threads when there are two or more and ``rows`` reaches
    :data:`PARALLEL_MIN_ROWS`, else on the calling thread."""
    threads = numba.get_num_threads()
    if threads < 2 or rows < PARALLEL_MIN_ROWS:
        yield map
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        yield pool.map


def mean_consumption(state: HouseholdState, layers: list[HouseholdState],
                     params: list[KernelParams], rows: np.ndarray, world: World, horizon: int,
                     window: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean per-capita consumption of households ``rows`` over the last ``window`` months of
    ``horizon``: in the base (float64[rows]) and in each layer (float64[layers, rows]).

    The layers of a month are stepped at the same time on numba's threads when there are
    many rows (:func:`layer_map`); each is stepped alone and in row order, so the answer does
    not depend on the number of threads.

    Args:
        state: the households now; the base starts from a copy.
        layers: copies of ``state`` with ``rows`` relaxed, stepped in place.
        params: the phase parameters of each layer.
        rows: the households diagnosed, ascending.
        world: the month held still (its parameters step the base).
        horizon, window: months.
    """
    base = state.copy()
    base_next = base.peer.copy()  # rows the month skips (HouseholdState.gone) keep theirs
    candidate = np.zeros(state.n, dtype=np.uint8)
    acc, hist = record.new_accumulators(state.n)
    base_total = np.zeros(rows.size)
    copies = [Layer(layer, p, np.empty_like(layer.peer), np.empty_like(layer.peer),
                    np.zeros(state.n, dtype=np.uint8), np.zeros(rows.size))
              for layer, p in zip(layers, params, strict=True)]
    with layer_map(rows.size) as step_layers:
        for t in range(1, horizon + 1):
            month = world.context.month + t
            ctx = world.context._replace(month=month,
                                         keys=streams.month_keys(world.seed, month),
                                         candidate=candidate, peer_prev=base.peer,
                                         peer_next=base_next)
            at_market = base.copy()  # search changes none of the fields the market ranks by
            frozen_month(base, world, ctx, acc, hist)
            jobs = market(at_market, candidate, world.job_slots, ctx.mentor_contact,
                          world.params.labour.referral_priority)
            counted = t > horizon - window
            list(step_layers(partial(Layer.step, ctx=ctx, rows=rows, jobs=jobs,
                                     counted=counted), copies))
            if counted:
                base_total += per_capita(base, rows)
            base.peer, base_next = base_next, base.peer
    window = max(window, 1)
    return base_total / window, np.array([c.total for c in copies]) / window
